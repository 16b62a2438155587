package dev.rendezvous.gateway.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.support.TestAerospike;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The Aerospike store against a real {@code asd}: two client instances play two gateways, so what one writes the
 * other must see; TTLs are the server's (records vanish without anyone deleting them).
 */
class AerospikeSharedStateIT {

    private static final Duration WAIT = Duration.ofSeconds(3);

    private AerospikeSharedState gw1;
    private AerospikeSharedState gw2;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void connect() {
        String hosts = TestAerospike.hosts();
        gw1 = new AerospikeSharedState(hosts, "rendezvous", "it_", Duration.ofSeconds(2), Clock.systemUTC());
        gw2 = new AerospikeSharedState(hosts, "rendezvous", "it_", Duration.ofSeconds(2), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (gw1 != null) {
            gw1.close();
        }
        if (gw2 != null) {
            gw2.close();
        }
    }

    @Test
    void countersAddAtomicallyAcrossGatewaysAndExpireWithTheirTtl() {
        String key = "login:" + run;
        // 50 concurrent adds from each "gateway": no lost update
        Flux.range(0, 100).flatMap(i -> (i % 2 == 0 ? gw1 : gw2).add(key, 1, Duration.ofSeconds(2)), 32)
                .blockLast(WAIT);
        assertThat(gw1.get(key).block(WAIT)).isEqualTo(100L);
        assertThat(gw2.add(key, 1, Duration.ofSeconds(2)).block(WAIT)).isEqualTo(101L);
        assertThat(gw2.get("never-written:" + run).block(WAIT)).isZero();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> gw1.get(key).block(WAIT) == 0L);
        assertThat(gw2.add(key, 1, Duration.ofSeconds(2)).block(WAIT)).as("a new count after expiry").isEqualTo(1L);
    }

    @Test
    void aRevocationIsSeenByTheOtherGatewayUntilItEnds() {
        String token = RevocationKeys.token(UUID.randomUUID().toString());
        String other = RevocationKeys.token(UUID.randomUUID().toString());
        assertThat(gw2.anyRevoked(List.of(token, other)).block(WAIT)).isFalse();

        gw1.revoke(token, Instant.now().plusSeconds(2)).block(WAIT);

        assertThat(gw2.anyRevoked(List.of(other, token)).block(WAIT)).isTrue();
        assertThat(gw2.anyRevoked(List.of(other)).block(WAIT)).isFalse();
        assertThat(gw2.anyRevoked(List.of()).block(WAIT)).isFalse();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> !gw2.anyRevoked(List.of(token)).block(WAIT));
        // a revocation that already ended writes nothing
        gw1.revoke(other, Instant.now().minusSeconds(1)).block(WAIT);
        assertThat(gw2.anyRevoked(List.of(other)).block(WAIT)).isFalse();
    }

    @Test
    void aBatchReadNamesExactlyTheRevokedKeysOfAThousand() {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < Revocations.MAX_BATCH; i++) {
            keys.add(RevocationKeys.token(run + "-" + i));
        }
        gw1.revoke(keys.get(0), Instant.now().plusSeconds(60)).block(WAIT);
        gw1.revoke(keys.get(999), Instant.now().plusSeconds(60)).block(WAIT);

        assertThat(gw2.revokedAmong(keys).block(WAIT)).containsExactlyInAnyOrder(keys.get(0), keys.get(999));
        assertThat(gw2.revokedAmong(List.of()).block(WAIT)).isEmpty();
        List<String> tooMany = new java.util.ArrayList<>(keys);
        tooMany.add(RevocationKeys.token(run + "-more"));
        assertThatThrownBy(() -> gw2.revokedAmong(tooMany).block(WAIT)).hasMessageContaining("at most 1000");
    }

    @Test
    void presenceLivesWhileRefreshedAndExpiresWhenItsGatewayStops() {
        String refreshed = "sock-a-" + run;
        String abandoned = "sock-b-" + run;
        String closed = "sock-c-" + run;
        long start = System.nanoTime();
        gw1.put(refreshed, "gw-1", Duration.ofSeconds(3)).block(WAIT);
        gw1.put(abandoned, "gw-1", Duration.ofSeconds(2)).block(WAIT);
        long abandonedAt = System.nanoTime();
        gw1.put(closed, "gw-1", Duration.ofSeconds(2)).block(WAIT);
        assertThat(gw2.gatewayOf(refreshed).block(WAIT)).isEqualTo("gw-1");
        gw1.remove(closed).block(WAIT);
        assertThat(gw2.gatewayOf(closed).blockOptional(WAIT)).isEmpty();

        // keep refreshing one until the other has expired
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
            gw1.put(refreshed, "gw-1", Duration.ofSeconds(3)).block(WAIT);
            return gw2.gatewayOf(abandoned).blockOptional(WAIT).isEmpty();
        });
        // the server counts TTLs in whole seconds: a 2-s record ends 1 to 2 s after its write
        assertThat(Duration.ofNanos(System.nanoTime() - abandonedAt)).as("the abandoned record lived about its TTL")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        // refreshed for longer than its TTL: its first write alone would have expired by now
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
            gw1.put(refreshed, "gw-1", Duration.ofSeconds(3)).block(WAIT);
            return Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) >= 0;
        });
        assertThat(gw2.gatewayOf(refreshed).block(WAIT)).isEqualTo("gw-1");
    }

    @Test
    void anUnreachableClusterFailsAtStartWithTheSettingsName() {
        assertThatThrownBy(() -> new AerospikeSharedState("127.0.0.1:1", "rendezvous", "it_", Duration.ofMillis(500),
                Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rendezvous.aerospike.hosts");
    }
}
