package dev.rendezvous.forwarder.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The start-up warm-up runs real handshakes (our server endpoint, SRTP keys, SRTP round trips) and reports them. */
class DtlsWarmUpTest {

    @Test
    void shouldCompleteWholeHandshakesThroughTheRealServerEndpoint() throws Exception {
        long[] took = DtlsWarmUp.run(2, Duration.ofSeconds(30));

        System.out.println("warm-up handshakes (ms): " + java.util.Arrays.toString(took));
        assertThat(took).hasSize(2);
        for (long ms : took) {
            assertThat(ms).isBetween(0L, 30_000L);
        }
    }
}
