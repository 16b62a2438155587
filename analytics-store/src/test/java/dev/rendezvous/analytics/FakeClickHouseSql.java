package dev.rendezvous.analytics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A scripted {@link ClickHouseSql}: records every statement and insert; answers selects from a function. Shared with
 * stream-apps' tests through this module's test-jar.
 */
public final class FakeClickHouseSql implements ClickHouseSql {

    public record Insert(String table, List<String> lines) {}

    public final List<String> statements = new CopyOnWriteArrayList<>();
    public final List<Insert> inserts = new CopyOnWriteArrayList<>();
    public Function<String, Mono<Void>> onExecute = s -> Mono.empty();
    public Function<Insert, Mono<Void>> onInsert = i -> Mono.empty();
    public Function<String, List<Map<String, Object>>> onSelect = s -> List.of();

    @Override
    public Mono<Void> execute(String sql) {
        return Mono.defer(() -> {
            statements.add(sql);
            return onExecute.apply(sql);
        });
    }

    @Override
    public Mono<Void> insertJsonEachRow(String table, byte[] rows) {
        return Mono.defer(() -> {
            List<String> lines = new ArrayList<>(List.of(new String(rows, StandardCharsets.UTF_8).split("\n")));
            Insert i = new Insert(table, lines);
            inserts.add(i);
            return onInsert.apply(i);
        });
    }

    @Override
    public Mono<List<Map<String, Object>>> select(String sql) {
        return Mono.fromCallable(() -> onSelect.apply(sql));
    }
}
