package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.loadtest.chat.BareKafkaPath;
import dev.rendezvous.loadtest.chat.ChatPath;
import dev.rendezvous.loadtest.chat.GatewayChatPath;
import dev.rendezvous.loadtest.chat.Inflight;
import dev.rendezvous.stack.Stack;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The chat load tool's two paths against the running stack (docs/benchmarks.md, "Chat end to end"): what each
 * sends arrives once, so the figures it reports are of messages that really made the trip. Few messages: the rates
 * are the tool's business, not CI's.
 */
class ChatLoadPathsIT {

    private static final int MESSAGES = 60;

    private final Stack stack = TestSystem.get();

    @Test
    void shouldCarryEveryMessageOnTheProductsPathAndOnBareKafka() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (GatewayChatPath ours = GatewayChatPath.open(http, stack.gatewayBaseUrl(), 3);
             BareKafkaPath bare = BareKafkaPath.open(stack.kafkaBootstrapServers(), ours.meetings())) {
            for (ChatPath path : new ChatPath[] {ours, bare}) {
                Inflight inflight = path.inflight();
                for (int n = 0; n < MESSAGES; n++) {
                    path.send(n, System.nanoTime());
                }
                assertThat(inflight.awaitDrain(Duration.ofSeconds(30).toNanos())).as(path.name()).isTrue();
                Inflight.Tally t = inflight.tally();
                assertThat(t.delivered()).as(path.name()).isEqualTo(MESSAGES);
                assertThat(t.errors()).as(path.name()).isZero();
                assertThat(t.latency().getTotalCount()).isEqualTo(MESSAGES);
            }
        }
    }
}
