package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * A playable file the recorder stored in S3 (topic {@code recording.file.stored}, key = recording id).
 * {@code kind}: {@code participant} (one person's camera with microphone, or screen: {@code participantId},
 * {@code source}) or {@code composite}.
 */
public record RecordingFile(
        String recordingId,
        String meetingId,
        String kind,
        String participantId,
        String source,
        String bucket,
        String objectKey,
        long sizeBytes,
        long durationMs,
        Instant at) {}
