package dev.rendezvous.streams.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AcceptedChatDecoderTest {

    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void shouldReadAnAcceptedMessageAsTheChatSentEventTheRoomProcessorUsedToWrite() {
        ChatMessage m = new ChatMessage("m1", 7, "c-7", "u-alice", "Alice", "hi 👋🏽", T);
        byte[] bytes = Topics.CHAT_ACCEPTED.valueSerde().serializer().serialize("chat.message.accepted", m);

        AnalyticsEvent e = new AcceptedChatDecoder().deserialize("chat.message.accepted", bytes);

        assertThat(e).isEqualTo(AnalyticsEvent.ChatSent.of("m1", T, "u-alice", 7, 5));
        // a re-publication of the same message (same meeting and seq) is the same event: stored once
        assertThat(new AcceptedChatDecoder().deserialize("chat.message.accepted", bytes).eventId()).isEqualTo(e.eventId());
    }

    @Test
    void shouldRefuseWhatIsNotAUsableMessageAsUndecodable() {
        AcceptedChatDecoder d = new AcceptedChatDecoder();
        assertThat(d.deserialize("t", null)).isNull();
        assertThatThrownBy(() -> d.deserialize("t", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> d.deserialize("t", "{\"seq\":3}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }
}
