package dev.rendezvous.streams.chatstore;

import dev.rendezvous.resilience.Guard;
import dev.rendezvous.streams.persist.AcknowledgingSource;
import dev.rendezvous.streams.persist.StorePipeline;
import dev.rendezvous.topics.model.ChatMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * Accepted chat messages ({@code chat.message.accepted}) → PostgreSQL {@code chat_messages}, at least once and
 * idempotent (see {@link StorePipeline}); counters {@code rendezvous.chat.store.*}. The room processor validates
 * messages, so that PostgreSQL refusing one does not happen.
 */
public final class ChatStorePipeline extends StorePipeline<ChatMessage> {

    /** {@code postgresql}: the guard of PostgreSQL calls (see {@link StorePipeline}). */
    public ChatStorePipeline(AcknowledgingSource<ChatMessage> source, ChatMessageStore store, Guard postgresql,
                             Duration minBackoff, Duration maxBackoff, Clock clock, MeterRegistry meters) {
        super(source, store, postgresql, "chat_messages", "chat message(s)", "rendezvous.chat.store", minBackoff,
                maxBackoff, clock, meters);
    }
}
