package dev.rendezvous.topics.model;

import java.time.Instant;

/** Start or stop recording a room (topic {@code recording.control.requested}, key = meeting id). */
public record RecordingControl(String meetingId, String recordingId, Action action, String forwarderId, Instant at) {

    public enum Action { START, STOP }
}
