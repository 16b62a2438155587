package dev.rendezvous.streams.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.chat-store.*}: the pipeline that persists accepted chat messages to PostgreSQL.
 *
 * @param groupId    Kafka consumer group of the pipeline
 * @param maxBatch   most rows in one INSERT (also the consumer's max.poll.records)
 * @param minBackoff first wait after a failed insert
 * @param maxBackoff longest wait between retries; retries never stop
 * @param maxWait    how long the broker may hold a fetch to fill a batch (fetch.max.wait.ms, with a fetch.min.bytes of
 *                   64 KiB): one INSERT per poll, so without it each message was an INSERT of its own under load. A
 *                   message is delivered live before it is stored; a page missing one re-reads the history after 1 s
 */
@ConfigurationProperties("rendezvous.chat-store")
public record ChatStoreProperties(
        @DefaultValue("rendezvous-chat-store") String groupId,
        @DefaultValue("500") int maxBatch,
        @DefaultValue("PT0.2S") Duration minBackoff,
        @DefaultValue("PT10S") Duration maxBackoff,
        @DefaultValue("PT0.2S") Duration maxWait) {

    public ChatStoreProperties {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("rendezvous.chat-store.group-id must be set");
        }
        if (maxBatch < 1 || maxBatch > 5000) {
            throw new IllegalArgumentException("rendezvous.chat-store.max-batch must be within 1..5000");
        }
        if (minBackoff == null || minBackoff.isNegative() || minBackoff.isZero()
                || maxBackoff == null || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("rendezvous.chat-store backoffs must be positive, min <= max");
        }
        if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("rendezvous.chat-store.max-wait must be within 0..1s");
        }
    }
}
