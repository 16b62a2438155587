package dev.rendezvous.gateway.web;

import dev.rendezvous.analytics.ClickHouseHttpSql;
import dev.rendezvous.analytics.ClickHouseSql;
import dev.rendezvous.analytics.MeetingFacts;
import java.time.Duration;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** A meeting's analytics facts from ClickHouse, or nothing at all when analytics are off. */
public final class AnalyticsReader implements AutoCloseable {

    private final MeetingFacts facts;
    private final AutoCloseable connection;
    private final Duration timeout;

    private AnalyticsReader(MeetingFacts facts, AutoCloseable connection, Duration timeout) {
        this.facts = facts;
        this.connection = connection;
        this.timeout = timeout;
    }

    /** Analytics off: {@link #enabled()} is false. */
    public static AnalyticsReader off() {
        return new AnalyticsReader(null, null, Duration.ZERO);
    }

    public static AnalyticsReader of(ClickHouseHttpSql sql, Duration timeout) {
        return new AnalyticsReader(new MeetingFacts(sql), sql, timeout);
    }

    /** Over any {@link ClickHouseSql} (tests). */
    public static AnalyticsReader of(ClickHouseSql sql, Duration timeout) {
        return new AnalyticsReader(new MeetingFacts(sql), null, timeout);
    }

    public boolean enabled() {
        return facts != null;
    }

    /** The meeting's facts; fails after the timeout. Only when {@link #enabled()}. */
    public Mono<MeetingFacts.Facts> facts(UUID meetingId) {
        return facts.of(meetingId).timeout(timeout.plusSeconds(1));
    }

    @Override
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }
}
