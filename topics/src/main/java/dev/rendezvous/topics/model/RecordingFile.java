package dev.rendezvous.topics.model;

import java.time.Instant;

/** A playable file the recorder stored in S3 (topic {@code recording.file.stored}, key = recording id). */
public record RecordingFile(
        String recordingId,
        String meetingId,
        String kind,
        String bucket,
        String objectKey,
        long sizeBytes,
        long durationMs,
        Instant at) {}
