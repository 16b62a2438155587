package dev.rendezvous.analytics;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseFormat;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ClickHouseSql} over HTTP with ClickHouse's client-v2. Set up for Debian's clickhouse-server 18.16 as much as
 * for a modern server: the server's response compression off (18.16's is broken), text formats only (its binary
 * readers fail on 18.16), rows read as JSONEachRow streams. Calls are blocking inside the client, so they run on
 * Reactor's bounded-elastic threads. The database is also sent as the HTTP interface's {@code database} parameter,
 * because 18.16 ignores the header client-v2 names it in (every statement would go to {@code default}).
 */
public final class ClickHouseHttpSql implements ClickHouseSql, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() {};

    private final Client client;
    private final Duration timeout;

    /**
     * @param url      e.g. {@code http://127.0.0.1:18123}
     * @param timeout  the longest any one call may take (connect, socket and execution)
     * @param compress whether to ask for compressed responses (false for ClickHouse 18.16)
     */
    public ClickHouseHttpSql(String url, String database, String username, String password, Duration timeout,
                             boolean compress) {
        this.timeout = timeout;
        this.client = new Client.Builder()
                .addEndpoint(url)
                .setUsername(username)
                .setPassword(password == null ? "" : password)
                .setDefaultDatabase(database)
                // 18.16 ignores the client's database header; the `database` URL parameter works on every version
                .serverSetting("database", database)
                .compressServerResponse(compress)
                .setConnectTimeout(Math.min(timeout.toMillis(), 5_000), ChronoUnit.MILLIS)
                .setSocketTimeout(timeout.toMillis(), ChronoUnit.MILLIS)
                .setExecutionTimeout(timeout.toMillis(), ChronoUnit.MILLIS)
                .build();
    }

    @Override
    public Mono<Void> execute(String sql) {
        return call(() -> client.execute(sql)).then();
    }

    @Override
    public Mono<Void> insertJsonEachRow(String table, byte[] rows) {
        return call(() -> client.insert(table, new ByteArrayInputStream(rows), ClickHouseFormat.JSONEachRow)).then();
    }

    @Override
    public Mono<List<Map<String, Object>>> select(String sql) {
        return Mono.fromCallable(() -> {
            try (QueryResponse r = await(client.query(sql + " FORMAT JSONEachRow"));
                 BufferedReader in = new BufferedReader(new InputStreamReader(r.getInputStream(), StandardCharsets.UTF_8))) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        rows.add(JSON.readValue(line, ROW));
                    }
                }
                return rows;
            }
        }).subscribeOn(Schedulers.boundedElastic()).onErrorMap(ClickHouseHttpSql::classify);
    }

    private <R extends AutoCloseable> Mono<Void> call(Supplier<CompletableFuture<R>> op) {
        return Mono.fromCallable(() -> {
            try (R ignored = await(op.get())) {
                return Boolean.TRUE;
            }
        }).subscribeOn(Schedulers.boundedElastic()).onErrorMap(ClickHouseHttpSql::classify).then();
    }

    private <R> R await(CompletableFuture<R> f) throws Exception {
        try {
            return f.get(timeout.toMillis() + 1_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new java.util.concurrent.TimeoutException("ClickHouse did not answer within " + timeout);
        }
    }

    private static Throwable classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerException s) {
                return new ServerError(s.getCode(), s.getMessage(), e);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }

    @Override
    public void close() {
        client.close();
    }
}
