package dev.rendezvous.topics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.AnalyticsEvent.ChatSent;
import dev.rendezvous.topics.model.AnalyticsEvent.HostAction;
import dev.rendezvous.topics.model.AnalyticsEvent.LeaveReason;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantJoined;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantLeft;
import dev.rendezvous.topics.model.AnalyticsEvent.QualitySample;
import dev.rendezvous.topics.model.AnalyticsEvent.RecordingStarted;
import dev.rendezvous.topics.model.AnalyticsEvent.RecordingStopped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AnalyticsEventTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");
    private final Serde<AnalyticsEvent> serde = Topics.ANALYTICS_EVENTS.valueSerde();

    private static List<AnalyticsEvent> oneOfEach() {
        return List.of(
                ParticipantJoined.of("m1", T, "u1", "s1", "Alice", Role.HOST),
                ParticipantLeft.of("m1", T.plusSeconds(90), "u1", "s1", T, LeaveReason.MEETING_ENDED),
                ChatSent.of("m1", T, "u1", 7, 12),
                HostAction.of("m1", T, "r-1", "u1", HostActionRequest.Action.MUTE, "u2"),
                RecordingStarted.of("m1", T, "rec-1", "fwd-1"),
                RecordingStopped.of("m1", T, "rec-1", "fwd-1"),
                QualitySample.of("m1", T, "u1", "s1", "fwd-1", 1_000_000, 2_000_000, 0.01, 35, 4.5, 2, 0.3));
    }

    @Test
    void shouldRoundTripEveryKindWithItsKindInTheJson() {
        List<AnalyticsEvent> events = oneOfEach();
        assertThat(events).extracting(AnalyticsEvent::kind).containsExactly(AnalyticsKind.values());
        for (AnalyticsEvent e : events) {
            byte[] bytes = serde.serializer().serialize("t", e);
            String json = new String(bytes, StandardCharsets.UTF_8);
            assertThat(json).startsWith("{\"kind\":\"" + e.kind().id() + "\"").contains("\"eventId\":\"" + e.eventId());
            assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(e);
        }
    }

    @Test
    void shouldKeepTheDocumentedJsonForm() {
        String json = new String(serde.serializer().serialize("t",
                ParticipantLeft.of("m1", T.plusSeconds(90), "u1", "s1", T, LeaveReason.LEFT)), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"kind\":\"participant_left\",\"eventId\":\""
                + AnalyticsEvent.idOf(AnalyticsKind.PARTICIPANT_LEFT, "m1", "s1") + "\",\"meetingId\":\"m1\","
                + "\"at\":\"2026-12-05T10:01:30Z\",\"participantId\":\"u1\",\"socketId\":\"s1\","
                + "\"joinedAt\":\"2026-12-05T10:00:00Z\",\"durationMs\":90000,\"reason\":\"LEFT\"}");
    }

    @Test
    void shouldDeriveTheSameIdForTheSameFactAndAnotherForAnother() {
        assertThat(ParticipantJoined.of("m1", T, "u1", "s1", "A", Role.USER).eventId())
                .isEqualTo(ParticipantJoined.of("m1", T.plusSeconds(3), "u1", "s1", "A", Role.USER).eventId())
                .isNotEqualTo(ParticipantJoined.of("m1", T, "u1", "s2", "A", Role.USER).eventId())
                .isNotEqualTo(ParticipantLeft.of("m1", T, "u1", "s1", T, LeaveReason.LEFT).eventId());
        assertThat(ChatSent.of("m1", T, "u1", 1, 3).eventId()).isNotEqualTo(ChatSent.of("m1", T, "u1", 2, 3).eventId());
        List<String> ids = oneOfEach().stream().map(AnalyticsEvent::eventId).distinct().toList();
        assertThat(ids).hasSize(AnalyticsKind.values().length);
    }

    @Test
    void shouldMeasureALeaveFromItsJoinAndNeverNegative() {
        assertThat(ParticipantLeft.of("m1", T.plusMillis(61_500), "u", "s", T, null).durationMs()).isEqualTo(61_500);
        assertThat(ParticipantLeft.of("m1", T.plusMillis(61_500), "u", "s", T, null).reason()).isEqualTo(LeaveReason.LEFT);
        assertThat(ParticipantLeft.of("m1", T, "u", "s", T.plusSeconds(5), LeaveReason.LEFT).durationMs()).isZero();
        assertThat(ParticipantLeft.of("m1", T, "u", "s", null, LeaveReason.LEFT).durationMs()).isZero();
    }

    @Test
    void shouldRefuseTheOldUntypedFormAndAnUnknownKind() {
        String old = "{\"type\":\"join\",\"meetingId\":\"m1\",\"participantId\":\"u\",\"at\":\"2026-12-05T10:00:00Z\"}";
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", old.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        String unknown = "{\"kind\":\"teleported\",\"eventId\":\"x\",\"meetingId\":\"m1\",\"at\":\"2026-12-05T10:00:00Z\"}";
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", unknown.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        String noId = "{\"kind\":\"chat_sent\",\"meetingId\":\"m1\",\"at\":\"2026-12-05T10:00:00Z\"}";
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", noId.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldNameEveryKindInTheJsonTypeList() {
        assertThat(Arrays.stream(AnalyticsKind.values()).map(AnalyticsKind::id))
                .allMatch(id -> id.matches("[a-z_]+"));
    }
}
