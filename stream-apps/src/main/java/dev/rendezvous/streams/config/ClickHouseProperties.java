package dev.rendezvous.streams.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.clickhouse.*}: the analytics store. With a URL, the analytics sink copies
 * {@code analytics.event.recorded} into ClickHouse and the meetings' analytics can be read; without one, neither
 * runs and analytics events stay on the topic.
 *
 * @param url               ClickHouse HTTP URL, e.g. {@code http://127.0.0.1:18123}; empty = analytics off
 * @param database          the database of the analytics tables (it must exist)
 * @param username          ClickHouse user
 * @param password          its password (a secret: from a secrets file or the environment, never a command line)
 * @param compressResponses ask for compressed responses; must stay false for ClickHouse 18.16, whose compression is broken
 * @param timeout           the longest one call to ClickHouse may take
 * @param groupId           Kafka consumer group of the sink
 * @param maxBatch          most events per INSERT (also the consumer's max.poll.records)
 * @param maxWait           how long the broker may hold a fetch to fill a batch (fetch.max.wait.ms with a
 *                          fetch.min.bytes of 1 MiB): bigger, fewer inserts, at most this much later
 * @param minBackoff        first wait after a failed insert
 * @param maxBackoff        longest wait between retries; retries never stop
 */
@ConfigurationProperties("rendezvous.clickhouse")
public record ClickHouseProperties(
        String url,
        @DefaultValue("default") String database,
        @DefaultValue("default") String username,
        String password,
        @DefaultValue("false") boolean compressResponses,
        @DefaultValue("PT10S") Duration timeout,
        @DefaultValue("rendezvous-analytics") String groupId,
        @DefaultValue("2000") int maxBatch,
        @DefaultValue("PT1S") Duration maxWait,
        @DefaultValue("PT0.5S") Duration minBackoff,
        @DefaultValue("PT30S") Duration maxBackoff) {

    public ClickHouseProperties {
        url = url == null || url.isBlank() ? null : url.strip();
        password = password == null ? "" : password;
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("rendezvous.clickhouse.url must be an http(s) URL: " + url);
        }
        if (maxBatch < 1 || maxBatch > 100_000) {
            throw new IllegalArgumentException("rendezvous.clickhouse.max-batch must be within 1..100000");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("rendezvous.clickhouse.timeout must be positive, max-wait not negative");
        }
        if (minBackoff == null || minBackoff.isNegative() || minBackoff.isZero()
                || maxBackoff == null || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("rendezvous.clickhouse backoffs must be positive, min <= max");
        }
    }

    /** Whether analytics go to ClickHouse (a URL is set). */
    public boolean enabled() {
        return url != null;
    }

    @Override
    public String toString() {   // never the password
        return "ClickHouseProperties[url=" + url + ", database=" + database + ", username=" + username + "]";
    }
}
