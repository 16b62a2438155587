package dev.rendezvous.streams.analytics;

import dev.rendezvous.analytics.AnalyticsRows;
import dev.rendezvous.analytics.AnalyticsSchema;
import dev.rendezvous.analytics.ClickHouseSql;
import dev.rendezvous.streams.persist.TableStore;
import dev.rendezvous.topics.model.AnalyticsEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A batch of analytics events → one JSONEachRow INSERT per table it touches. Writing a batch again after a
 * redelivery adds rows with the same event ids, which the tables merge and the queries count once.
 */
public final class ClickHouseAnalyticsStore implements TableStore<AnalyticsEvent> {

    /**
     * ClickHouse codes that mean the rows themselves are refused (retrying cannot help): 6 cannot parse text,
     * 26/27 cannot parse input, 53 type mismatch, 69 argument out of bound, 70 cannot convert type, 117 incorrect data.
     */
    static final Set<Integer> REFUSED_DATA = Set.of(6, 26, 27, 53, 69, 70, 117);

    private final ClickHouseSql sql;
    private final AnalyticsSchema schema;
    private final Clock clock;

    public ClickHouseAnalyticsStore(ClickHouseSql sql, AnalyticsSchema schema, Clock clock) {
        this.sql = sql;
        this.schema = schema;
        this.clock = clock;
    }

    @Override
    public Mono<Void> createSchema() {
        return schema.migrate().then();
    }

    /** @return the number of rows written (ClickHouse cannot say which were copies; they are merged later) */
    @Override
    public Mono<Long> insert(List<AnalyticsEvent> events) {
        long version = clock.millis();
        Map<String, List<Map<String, Object>>> byTable = new LinkedHashMap<>();
        for (AnalyticsEvent e : events) {
            byTable.computeIfAbsent(AnalyticsRows.tableOf(e), t -> new ArrayList<>()).add(AnalyticsRows.row(e, version));
        }
        return Flux.fromIterable(byTable.entrySet())
                .concatMap(t -> sql.insertJsonEachRow(t.getKey(), AnalyticsRows.jsonEachRow(t.getValue())))
                .then(Mono.just((long) events.size()))
                .onErrorMap(ClickHouseSql.ServerError.class, e -> REFUSED_DATA.contains(e.code())
                        ? new RefusedDataException("ClickHouse refused the rows (code " + e.code() + ")", e) : e);
    }
}
