package dev.rendezvous.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DatagramPollerTest {

    @Test
    void readsEveryRegisteredSocketAndSurvivesAReaderThatThrows() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (DatagramPoller poller = new DatagramPoller(500, TimeUnit.MICROSECONDS, "test-poll");
             DatagramChannel a = bound(); DatagramChannel b = bound(); DatagramChannel sender = bound()) {
            poller.register(a, (in, len, now) -> {
                String s = new String(in, 0, len);
                if (s.equals("boom")) {
                    throw new IllegalStateException("reader failed");
                }
                got.add("a:" + s);
            });
            poller.register(b, (in, len, now) -> got.add("b:" + new String(in, 0, len)));
            assertThat(a.isBlocking()).isFalse();
            a.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20); // the burst below must not overflow it

            send(sender, a, "boom");
            for (int i = 0; i < 300; i++) { // more than one drain round of a socket
                send(sender, a, "x" + i);
            }
            send(sender, b, "hello");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.size() < 301 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(got).contains("b:hello", "a:x0", "a:x299").hasSize(301);
            assertThat(got.stream().filter(s -> s.startsWith("a:")).toList())
                    .as("one socket's datagrams in the order sent").isSortedAccordingTo(
                            (x, y) -> Integer.compare(Integer.parseInt(x.substring(3)), Integer.parseInt(y.substring(3))));
        }
    }

    @Test
    void aClosedSocketIsDroppedAndTheOthersKeepBeingRead() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (DatagramPoller poller = new DatagramPoller(500, TimeUnit.MICROSECONDS, "test-poll");
             DatagramChannel b = bound(); DatagramChannel sender = bound()) {
            DatagramChannel a = bound();
            poller.register(a, (in, len, now) -> got.add("a"));
            poller.register(b, (in, len, now) -> got.add("b:" + new String(in, 0, len)));
            a.close();
            send(sender, b, "still");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(got).containsExactly("b:still");
        }
    }

    private static DatagramChannel bound() throws Exception {
        return DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    private static void send(DatagramChannel from, DatagramChannel to, String text) throws Exception {
        from.send(ByteBuffer.wrap(text.getBytes()), to.getLocalAddress());
    }
}
