package dev.rendezvous.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stranger throws 100,000 random datagrams of every class at the forwarder's real UDP port while two clients
 * are in a call: nothing escapes a stage, the junk is counted as dropped, and the call keeps flowing.
 */
class UdpFuzzTest {

    private static final int DATAGRAMS = 100_000;

    @Test
    @Timeout(60)
    void shouldKeepACallFlowingWhileAStrangerSendsRandomDatagramsOfEveryClass() throws Exception {
        try (Meeting m = new Meeting(); DatagramChannel stranger = DatagramChannel.open()) {
            WebRtcClient alice = m.join("alice", c -> c.withVideo(150_000, 15, 2_000));
            WebRtcClient bob = m.join("bob", c -> c.withVideo(150_000, 15, 2_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> bob.stats().packetsFrom("alice", "video") > 20
                    && alice.stats().packetsFrom("bob", "video") > 20);
            long droppedBefore = dropped(m);

            stranger.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", m.forwarder.engine().port());
            Random random = new Random(7);
            ByteBuffer buf = ByteBuffer.allocate(1500);
            long start = System.nanoTime();
            for (int i = 0; i < DATAGRAMS; i++) {
                buf.clear();
                int len = random.nextInt(1200);
                for (int k = 0; k < len; k++) {
                    buf.put((byte) random.nextInt(256));
                }
                if (len > 0) {
                    buf.put(0, firstByte(i % 5, random));
                }
                buf.flip();
                stranger.send(buf, target);
                // about 25,000 datagrams a second: a flood, within what loopback and the socket buffer take
                long due = start + TimeUnit.MICROSECONDS.toNanos(40L * i);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            long aliceHeard = bob.stats().packetsFrom("alice", "video");
            long bobHeard = alice.stats().packetsFrom("bob", "video");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(bob.stats().packetsFrom("alice", "video")).isGreaterThan(aliceHeard + 20);
                assertThat(alice.stats().packetsFrom("bob", "video")).isGreaterThan(bobHeard + 20);
                assertThat(dropped(m) - droppedBefore).as("the junk is counted as dropped")
                        .isGreaterThan(DATAGRAMS * 9L / 10);
            });
            assertThat(m.counter("engine", "error")).isZero();
            assertThat(alice.stats().subscribeConnected()).isTrue();
            assertThat(bob.stats().publishConnected()).isTrue();
        }
    }

    /** STUN, DTLS, RTP, RTCP by RFC 7983's first byte, or anything. */
    private static byte firstByte(int kind, Random r) {
        return (byte) switch (kind) {
            case 0 -> r.nextInt(4);
            case 1 -> 20 + r.nextInt(44);
            case 2, 3 -> 128 + r.nextInt(64);
            default -> r.nextInt(256);
        };
    }

    private static long dropped(Meeting m) {
        long sum = 0;
        for (String pair : new String[] {"demux,unknown", "ice,dropped", "dtls,unknown_source", "srtp-decrypt,unknown_source",
                "rtp-parse,malformed", "srtp-decrypt,malformed"}) {
            String[] p = pair.split(",");
            sum += m.counter(p[0], p[1]);
        }
        return sum;
    }
}
