package dev.rendezvous.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.gateway.ws.GatewayMetrics;
import dev.rendezvous.gateway.ws.GatewaySocket;
import dev.rendezvous.gateway.ws.SocketRegistry;
import dev.rendezvous.gateway.ws.TokenBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SocketKeepAliveTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(meters, () -> 0);
    private final SocketRegistry registry = new SocketRegistry();
    private final SocketKeepAlive keepAlive = new SocketKeepAlive(registry, clock, Duration.ofSeconds(10),
            Duration.ofSeconds(30));
    private final List<String> closes = new CopyOnWriteArrayList<>();

    @Test
    void shouldPingLiveSocketsAndCloseThoseSilentForTheIdleTimeout() {
        GatewaySocket quiet = socket("quiet");
        GatewaySocket chatty = socket("chatty");
        List<Long> quietPings = new CopyOnWriteArrayList<>();
        quiet.liveness().pings().subscribe(quietPings::add);
        boolean[] quietEnded = {false};
        quiet.dropped().subscribe(null, null, () -> quietEnded[0] = true);

        clock.advance(Duration.ofSeconds(10));
        keepAlive.sweep();
        assertThat(quietPings).hasSize(1);

        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofSeconds(10));
            chatty.liveness().heard(clock.millis());   // a pong, or any frame
            keepAlive.sweep();
        }

        assertThat(closes).containsExactly("quiet:4408");
        assertThat(quietEnded[0]).isTrue();   // its handler ends at once and leaves its meetings
        assertThat(meters.counter("rendezvous.gateway.sockets.dropped", "reason", "idle").count()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(29));
        keepAlive.sweep();
        assertThat(closes).containsExactly("quiet:4408");
    }

    @Test
    void shouldCloseEverySocketForItsPageToJoinAgainWhenTheGatewayRevives() {
        GatewaySocket a = socket("a");
        socket("b");
        boolean[] aEnded = {false};
        a.dropped().subscribe(null, null, () -> aEnded[0] = true);

        keepAlive.restartAll();

        assertThat(closes).containsExactlyInAnyOrder("a:1012", "b:1012");
        assertThat(aEnded[0]).isTrue();
        assertThat(meters.counter("rendezvous.gateway.sockets.dropped", "reason", "gateway_revived").count()).isEqualTo(2);
    }

    private GatewaySocket socket(String id) {
        GatewaySocket s = new GatewaySocket(id, null, new TokenBucket(50, 50, clock), 16, metrics,
                (code, reason) -> closes.add(id + ":" + code));
        s.liveness().heard(clock.millis());
        registry.add(s);
        return s;
    }
}
