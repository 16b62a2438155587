package dev.rendezvous.gateway.shared;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.Bin;
import com.aerospike.client.Host;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.async.EventLoops;
import com.aerospike.client.async.EventPolicy;
import com.aerospike.client.async.NioEventLoops;
import com.aerospike.client.policy.BatchPolicy;
import com.aerospike.client.policy.ClientPolicy;
import com.aerospike.client.policy.Policy;
import com.aerospike.client.policy.WritePolicy;
import com.aerospike.client.reactor.AerospikeReactorClient;
import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guard;
import dev.rendezvous.resilience.ResilienceSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The shared state in an Aerospike namespace, through the Aerospike Reactor Client: every call is asynchronous on the
 * client's own event loop (nothing blocks a Netty thread of the gateway), and what follows a result runs on Reactor's
 * parallel scheduler. Three sets, {@code <prefix>rate},
 * {@code <prefix>revoked} and {@code <prefix>presence}; every record is written with a TTL, so the namespace must
 * allow TTLs ({@code nsup-period} > 0). A counter is one atomic {@code add}+{@code get}; a revocation is an empty-ish
 * record whose TTL runs to the revocation's end; presence is the gateway id with a TTL the gateway keeps refreshing.
 */
public final class AerospikeSharedState implements SharedState, RateCounters, Revocations, SocketPresence {

    private static final String COUNT = "n";
    private static final String GATEWAY = "gw";
    private static final String UNTIL = "until";

    private final EventLoops eventLoops;
    private final AerospikeClient client;
    private final AerospikeReactorClient reactor;
    private final String namespace;
    private final String rateSet;
    private final String revokedSet;
    private final String presenceSet;
    private final Policy readPolicy;
    private final BatchPolicy batchPolicy;
    private final Clock clock;
    private final String hosts;
    private final Guard guard;

    /** With a guard of its own at the default policy (tests, tools). */
    public AerospikeSharedState(String hosts, String namespace, String setPrefix, Duration timeout, Clock clock) {
        this(hosts, namespace, setPrefix, timeout, clock,
                Guard.standalone(Dependency.AEROSPIKE, ResilienceSettings.Policy.defaults()));
    }

    /**
     * Connects (blocking, at start-up only); fails if no node of {@code hosts} answers within {@code timeout}.
     *
     * @param hosts     {@code host:port[,host:port…]} (port 3000 when omitted)
     * @param setPrefix prepended to the three set names, so that several deployments can share a namespace
     * @param guard     the Aerospike guard every command goes through (breaker, bulkhead, retries of idempotent ones)
     */
    public AerospikeSharedState(String hosts, String namespace, String setPrefix, Duration timeout, Clock clock,
                                Guard guard) {
        this.hosts = hosts;
        this.guard = guard;
        this.namespace = namespace;
        this.rateSet = setPrefix + "rate";
        this.revokedSet = setPrefix + "revoked";
        this.presenceSet = setPrefix + "presence";
        this.clock = clock;
        this.eventLoops = new NioEventLoops(new EventPolicy(), 1, true, "aerospike");
        ClientPolicy cp = new ClientPolicy();
        cp.eventLoops = eventLoops;
        cp.timeout = (int) timeout.toMillis();
        cp.failIfNotConnected = true;
        int ms = (int) timeout.toMillis();
        cp.readPolicyDefault.totalTimeout = ms;
        cp.writePolicyDefault.totalTimeout = ms;
        cp.batchPolicyDefault.totalTimeout = ms;
        try {
            this.client = new AerospikeClient(cp, Host.parseHosts(hosts, 3000));
        } catch (RuntimeException e) {
            eventLoops.close();
            throw new IllegalStateException("cannot reach Aerospike at " + hosts + " (rendezvous.aerospike.hosts): "
                    + e.getMessage(), e);
        }
        this.reactor = new AerospikeReactorClient(client);
        this.readPolicy = new Policy(client.readPolicyDefault);
        this.batchPolicy = new BatchPolicy(client.batchPolicyDefault);
    }

    @Override
    public RateCounters counters() {
        return this;
    }

    @Override
    public Revocations revocations() {
        return this;
    }

    @Override
    public SocketPresence presence() {
        return this;
    }

    @Override
    public String describe() {
        return "Aerospike at " + hosts + ", namespace " + namespace + " (shared by every gateway using it)";
    }

    /**
     * Continues on Reactor's parallel scheduler: the client's single event loop only completes commands, and the
     * work that follows a result (a controller, a join) must not queue behind every other gateway call on it.
     * Through the guard; an idempotent command (a read, a put, a delete) may be retried.
     */
    private <T> Mono<T> call(java.util.function.Supplier<Mono<T>> command) {
        return guard.idempotent(Mono.defer(command)).publishOn(Schedulers.parallel());
    }

    /** {@link #call} for a command that must not be repeated (a counter's add). */
    private <T> Mono<T> callOnce(java.util.function.Supplier<Mono<T>> command) {
        return guard.once(Mono.defer(command)).publishOn(Schedulers.parallel());
    }

    private WritePolicy writeWithTtl(Duration ttl) {
        WritePolicy p = new WritePolicy(client.writePolicyDefault);
        // whole seconds, at least one (0 would mean the namespace's default TTL, -1 never)
        p.expiration = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ttl.toMillis() + 999) / 1000));
        return p;
    }

    // ---- counters

    @Override
    public Mono<Long> add(String key, long delta, Duration ttl) {
        Key k = new Key(namespace, rateSet, key);
        return callOnce(() -> reactor.operate(writeWithTtl(ttl), k, Operation.add(new Bin(COUNT, delta)), Operation.get(COUNT)))
                .map(kr -> kr.record == null ? 0L : kr.record.getLong(COUNT));
    }

    @Override
    public Mono<Long> get(String key) {
        Key k = new Key(namespace, rateSet, key);
        return call(() -> reactor.get(readPolicy, k, new String[] {COUNT}))
                .map(kr -> kr.record == null ? 0L : kr.record.getLong(COUNT))
                .defaultIfEmpty(0L);
    }

    // ---- revocations

    @Override
    public Mono<Void> revoke(String key, Instant until) {
        Duration left = Duration.between(clock.instant(), until);
        if (left.isNegative() || left.isZero()) {
            return Mono.empty();
        }
        Key k = new Key(namespace, revokedSet, key);
        return call(() -> reactor.put(writeWithTtl(left), k, new Bin(UNTIL, until.toEpochMilli()))).then();
    }

    @Override
    public Mono<Set<String>> revokedAmong(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Mono.just(Set.of());
        }
        if (keys.size() > MAX_BATCH) {
            return Mono.error(new IllegalArgumentException("at most " + MAX_BATCH + " keys per read, not " + keys.size()));
        }
        List<String> asked = List.copyOf(keys);
        Key[] ks = asked.stream().map(k -> new Key(namespace, revokedSet, k)).toArray(Key[]::new);
        return call(() -> reactor.exists(batchPolicy, ks))
                .map(r -> {
                    Set<String> revoked = new HashSet<>();
                    for (int i = 0; i < r.exists.length; i++) {
                        if (r.exists[i]) {
                            revoked.add(asked.get(i));
                        }
                    }
                    return revoked;
                });
    }

    // ---- presence

    @Override
    public Mono<Void> put(String socketId, String gatewayId, Duration ttl) {
        Key k = new Key(namespace, presenceSet, socketId);
        return call(() -> reactor.put(writeWithTtl(ttl), k, new Bin(GATEWAY, gatewayId))).then();
    }

    @Override
    public Mono<Void> remove(String socketId) {
        Key k = new Key(namespace, presenceSet, socketId);
        return call(() -> reactor.delete(null, k)).then();
    }

    @Override
    public Mono<String> gatewayOf(String socketId) {
        Key k = new Key(namespace, presenceSet, socketId);
        return call(() -> reactor.get(readPolicy, k, new String[] {GATEWAY}))
                .flatMap(kr -> kr.record == null ? Mono.empty() : Mono.justOrEmpty(kr.record.getString(GATEWAY)));
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            eventLoops.close();
        }
    }
}
