package dev.rendezvous.topics.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A fact for the analytics store (topic {@code analytics.event.recorded}, key = meeting id), one record type per
 * {@link AnalyticsKind}. The JSON form carries the kind as {@code "kind"} (its {@link AnalyticsKind#id()}) beside the
 * record's fields; see docs/topics.md.
 *
 * <p>{@link #eventId()} is derived from what the event is about (never random), so the same fact produced again — a
 * replay after a crash, a repeated JOIN — has the same id and the store counts it once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AnalyticsEvent.ParticipantJoined.class, name = "participant_joined"),
        @JsonSubTypes.Type(value = AnalyticsEvent.ParticipantLeft.class, name = "participant_left"),
        @JsonSubTypes.Type(value = AnalyticsEvent.ChatSent.class, name = "chat_sent"),
        @JsonSubTypes.Type(value = AnalyticsEvent.HostAction.class, name = "host_action"),
        @JsonSubTypes.Type(value = AnalyticsEvent.RecordingStarted.class, name = "recording_started"),
        @JsonSubTypes.Type(value = AnalyticsEvent.RecordingStopped.class, name = "recording_stopped"),
        @JsonSubTypes.Type(value = AnalyticsEvent.QualitySample.class, name = "quality_sample")})
public sealed interface AnalyticsEvent {

    /** Stable id of the fact (idempotency key of the store). */
    String eventId();

    String meetingId();

    /** When it happened. */
    Instant at();

    AnalyticsKind kind();

    /** A deterministic id from the parts that make a fact unique: a name-based UUID, the same on every replay. */
    static String idOf(AnalyticsKind kind, Object... parts) {
        StringBuilder b = new StringBuilder(kind.id());
        for (Object p : parts) {
            b.append('|').append(p);
        }
        return UUID.nameUUIDFromBytes(b.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void require(String eventId, String meetingId, Instant at) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(meetingId, "meetingId");
        Objects.requireNonNull(at, "at");
    }

    /** A socket joined the room. */
    record ParticipantJoined(String eventId, String meetingId, Instant at, String participantId, String socketId,
                             String displayName, Role role) implements AnalyticsEvent {
        public ParticipantJoined {
            require(eventId, meetingId, at);
        }

        /** One per socket: a socket id is never reused, and a socket joins one room once. */
        public static ParticipantJoined of(String meetingId, Instant at, String participantId, String socketId,
                                           String displayName, Role role) {
            return new ParticipantJoined(idOf(AnalyticsKind.PARTICIPANT_JOINED, meetingId, socketId), meetingId, at,
                    participantId, socketId, displayName, role);
        }

        @Override
        public AnalyticsKind kind() {
            return AnalyticsKind.PARTICIPANT_JOINED;
        }
    }

    /** A socket left the room after {@code durationMs} in it (from its join). */
    record ParticipantLeft(String eventId, String meetingId, Instant at, String participantId, String socketId,
                           Instant joinedAt, long durationMs, LeaveReason reason) implements AnalyticsEvent {
        public ParticipantLeft {
            require(eventId, meetingId, at);
            reason = reason == null ? LeaveReason.LEFT : reason;
        }

        public static ParticipantLeft of(String meetingId, Instant at, String participantId, String socketId,
                                         Instant joinedAt, LeaveReason reason) {
            long duration = joinedAt == null ? 0 : Math.max(0, at.toEpochMilli() - joinedAt.toEpochMilli());
            return new ParticipantLeft(idOf(AnalyticsKind.PARTICIPANT_LEFT, meetingId, socketId), meetingId, at,
                    participantId, socketId, joinedAt, duration, reason);
        }

        @Override
        public AnalyticsKind kind() {
            return AnalyticsKind.PARTICIPANT_LEFT;
        }
    }

    /** Why a socket left. */
    enum LeaveReason { LEFT, MEETING_ENDED }

    /** A chat message was accepted with sequence number {@code seq}; {@code length} in code points. */
    record ChatSent(String eventId, String meetingId, Instant at, String participantId, long seq, int length)
            implements AnalyticsEvent {
        public ChatSent {
            require(eventId, meetingId, at);
        }

        /** One per accepted message: (meeting, seq) is unique. */
        public static ChatSent of(String meetingId, Instant at, String participantId, long seq, int length) {
            return new ChatSent(idOf(AnalyticsKind.CHAT_SENT, meetingId, seq), meetingId, at, participantId, seq, length);
        }

        /**
         * The event of an accepted message as {@code chat.message.accepted} carries it (the analytics sink reads that
         * topic: a chat message makes no record of its own on {@code analytics.event.recorded}). A re-publication of
         * the same message (same meeting and seq) gives the same event id.
         */
        public static ChatSent of(ChatMessage m) {
            String text = m.text() == null ? "" : m.text();
            return of(m.meetingId(), m.sentAt(), m.senderId(), m.seq(), text.codePointCount(0, text.length()));
        }

        @Override
        public AnalyticsKind kind() {
            return AnalyticsKind.CHAT_SENT;
        }
    }

    /** A host or co-host action the room processor applied; {@code target} the participant acted on (or null). */
    record HostAction(String eventId, String meetingId, Instant at, String actorParticipantId,
                      HostActionRequest.Action action, String target) implements AnalyticsEvent {
        public HostAction {
            require(eventId, meetingId, at);
            Objects.requireNonNull(action, "action");
        }

        /** One per request: a repeated request id repeats no effect. */
        public static HostAction of(String meetingId, Instant at, String requestId, String actorParticipantId,
                                    HostActionRequest.Action action, String target) {
            return new HostAction(idOf(AnalyticsKind.HOST_ACTION, meetingId, requestId), meetingId, at,
                    actorParticipantId, action, target);
        }

        @Override
        public AnalyticsKind kind() {
            return AnalyticsKind.HOST_ACTION;
        }
    }

    /** A recording of the room started. */
    record RecordingStarted(String eventId, String meetingId, Instant at, String recordingId, String forwarderId)
            implements AnalyticsEvent {
        public RecordingStarted {
            require(eventId, meetingId, at);
        }

        public static RecordingStarted of(String meetingId, Instant at, String recordingId, String forwarderId) {
            return new RecordingStarted(idOf(AnalyticsKind.RECORDING_STARTED, recordingId), meetingId, at, recordingId,
                    forwarderId);
        }

        @Override
        public AnalyticsKind kind() {
            return AnalyticsKind.RECORDING_STARTED;
        }
    }

    /** A recording of the room stopped. */
    record RecordingStopped(String eventId, String meetingId, Instant at, String recordingId, String forwarderId)
            implements AnalyticsEvent {
        public RecordingStopped {
            require(eventId, meetingId, at);
        }

        public static RecordingStopped of(String meetingId, Instant at, String recordingId, String forwarderId) {
            return new RecordingStopped(idOf(AnalyticsKind.RECORDING_STOPPED, recordingId), meetingId, at, recordingId,
                    forwarderId);
        }

        @Override
        public AnalyticsKind kind() {
            return AnalyticsKind.RECORDING_STOPPED;
        }
    }

    /**
     * One participant's media quality as its forwarder saw it over the last sample interval (5 s): bits per second
     * it sent in and received out, inbound loss ratio (0..1), RTT and jitter in ms, the simulcast layer it receives
     * (-1: unknown or none), and the forwarder's CPU load (0..1).
     */
    record QualitySample(String eventId, String meetingId, Instant at, String participantId, String socketId,
                         String forwarderId, double bitrateInBps, double bitrateOutBps, double lossRatio,
                         double rttMs, double jitterMs, int layer, double forwarderCpu) implements AnalyticsEvent {
        public QualitySample {
            require(eventId, meetingId, at);
        }

        /** One per socket and sample time on a forwarder. */
        public static QualitySample of(String meetingId, Instant at, String participantId, String socketId,
                                       String forwarderId, double bitrateInBps, double bitrateOutBps, double lossRatio,
                                       double rttMs, double jitterMs, int layer, double forwarderCpu) {
            return new QualitySample(idOf(AnalyticsKind.QUALITY_SAMPLE, forwarderId, socketId, at.toEpochMilli()),
                    meetingId, at, participantId, socketId, forwarderId, bitrateInBps, bitrateOutBps, lossRatio,
                    rttMs, jitterMs, layer, forwarderCpu);
        }

        @Override
        public AnalyticsKind kind() {
            return AnalyticsKind.QUALITY_SAMPLE;
        }
    }
}
