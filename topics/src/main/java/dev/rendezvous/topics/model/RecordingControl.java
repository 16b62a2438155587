package dev.rendezvous.topics.model;

import java.time.Instant;

/** Start or stop recording a room (topic {@code recording.control.requested}, key = meeting id). */
public record RecordingControl(String meetingId, String recordingId, Action action, String forwarderId, Instant at) {

    public enum Action { START, STOP }

    /**
     * The id of the recording a RECORD_START request starts: derived from the meeting and the request id, so that
     * the gateway can answer {@code 202 {recordingId}} before the room processor decides, and a replayed request
     * names the same recording.
     */
    public static String recordingIdFor(String meetingId, String requestId) {
        return "rec-" + java.util.UUID.nameUUIDFromBytes((meetingId + "|" + requestId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
