package dev.rendezvous.streams.analytics;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.ChatMessage;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a {@code chat.message.accepted} record as the analytics sink's {@code chat_sent} event
 * ({@link AnalyticsEvent.ChatSent#of(ChatMessage)}): the room processor writes no analytics record per chat message,
 * the sink takes the accepted messages themselves. A record that is not a usable message fails as
 * {@link SerializationException}, which the sink counts as undecodable and skips.
 */
public final class AcceptedChatDecoder implements Deserializer<AnalyticsEvent> {

    private final Deserializer<ChatMessage> messages = Topics.CHAT_ACCEPTED.valueSerde().deserializer();

    @Override
    public AnalyticsEvent deserialize(String topic, byte[] data) {
        ChatMessage m = messages.deserialize(topic, data);
        if (m == null) {
            return null;
        }
        try {
            return AnalyticsEvent.ChatSent.of(m);
        } catch (RuntimeException e) {
            throw new SerializationException("not a usable chat message: " + e.getMessage(), e);
        }
    }
}
