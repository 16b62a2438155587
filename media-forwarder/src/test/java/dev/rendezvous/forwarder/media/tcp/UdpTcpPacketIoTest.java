package dev.rendezvous.forwarder.media.tcp;

import static dev.rendezvous.forwarder.media.tcp.FrameReaderTest.bytes;
import static dev.rendezvous.forwarder.media.tcp.FrameReaderTest.concat;
import static dev.rendezvous.forwarder.media.tcp.FrameReaderTest.framed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UDP socket and the ICE-TCP port on real sockets, read by a stand-in for the packet thread. */
class UdpTcpPacketIoTest {

    record Received(InetSocketAddress from, byte[] bytes) {}

    private UdpTcpPacketIo io;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private Thread packetThread;

    @BeforeEach
    void start() throws IOException {
        io = UdpTcpPacketIo.bind("127.0.0.1", 0, 0,
                new UdpTcpPacketIo.Limits(3, 2048, 8 * 1024, Duration.ofSeconds(30).toNanos()));
        packetThread = new Thread(() -> {
            ByteBuffer in = ByteBuffer.allocate(2048);
            while (true) {
                try {
                    in.clear();
                    InetSocketAddress from = io.receive(in);
                    received.add(new Received(from, Arrays.copyOf(in.array(), in.position())));
                } catch (java.nio.channels.ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    // go on, as the packet path does
                }
            }
        }, "test-packets");
        packetThread.setDaemon(true);
        packetThread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        io.close();
        packetThread.join(2_000);
        assertThat(packetThread.isAlive()).as("the packet thread ends when the sockets close").isFalse();
    }

    @Test
    void shouldDeliverFramesAsDatagramsOfTheConnectionAndFrameWhatIsSentBack() throws Exception {
        try (Socket client = connect(); DatagramSocket udp = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            OutputStream out = client.getOutputStream();
            byte[] stream = concat(framed(bytes(100, 1)), framed(bytes(1200, 2)), framed(bytes(33, 3)));
            out.write(stream, 0, 702); // a frame and a half
            out.flush();
            Received first = next();
            assertThat(first.bytes()).isEqualTo(bytes(100, 1));
            assertThat(first.from()).isInstanceOf(TcpPeerAddress.class);
            assertThat(TcpPeerAddress.reflexive(first.from())).as("STUN reports the real remote end")
                    .isEqualTo(client.getLocalSocketAddress());
            assertThat(first.from()).as("never equal to a UDP peer's address")
                    .isNotEqualTo(client.getLocalSocketAddress());
            out.write(stream, 702, stream.length - 702); // the rest: one and a half frames more
            out.flush();
            assertThat(next().bytes()).isEqualTo(bytes(1200, 2));
            Received third = next();
            assertThat(third.bytes()).isEqualTo(bytes(33, 3));
            assertThat(third.from()).isSameAs(first.from());

            udp.send(new DatagramPacket(bytes(50, 7), 50, new InetSocketAddress("127.0.0.1", io.localPort())));
            Received datagram = next();
            assertThat(datagram.bytes()).isEqualTo(bytes(50, 7));
            assertThat(datagram.from()).isEqualTo(udp.getLocalSocketAddress()).isNotInstanceOf(TcpPeerAddress.class);

            io.send(ByteBuffer.wrap(bytes(500, 8)), first.from());
            io.send(ByteBuffer.wrap(bytes(9, 9)), first.from());
            DataInputStream in = new DataInputStream(client.getInputStream());
            assertThat(readFrame(in)).isEqualTo(bytes(500, 8));
            assertThat(readFrame(in)).isEqualTo(bytes(9, 9));
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseFrameIsOversizeAndGoOnWithTheOthers() throws Exception {
        try (Socket good = connect(); Socket bad = connect()) {
            good.getOutputStream().write(framed(bytes(10, 1)));
            Received g = next();
            bad.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3});
            bad.setSoTimeout(5_000);
            assertThat(bad.getInputStream().read()).as("the bad connection is closed").isEqualTo(-1);

            good.getOutputStream().write(framed(bytes(20, 2)));
            Received again = next();
            assertThat(again.bytes()).isEqualTo(bytes(20, 2));
            assertThat(again.from()).isSameAs(g.from());
            await().atMost(Duration.ofSeconds(5)).until(() -> io.tcpConnections() == 1);
        }
    }

    @Test
    void shouldDropPacketsForAPeerThatDoesNotReadInsteadOfBlocking() throws Exception {
        try (Socket slow = connect()) {
            slow.setReceiveBufferSize(4096);
            slow.getOutputStream().write(framed(bytes(10, 1)));
            InetSocketAddress to = next().from();
            long started = System.nanoTime();
            byte[] packet = bytes(1200, 3);
            for (int i = 0; i < 20_000; i++) { // 24 MB: far more than the socket buffers and ours hold
                io.send(ByteBuffer.wrap(packet), to);
            }
            assertThat(System.nanoTime() - started).as("sending never waits for the peer")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(io.sendDropped()).isPositive();

            // what was not dropped arrives as whole frames, in order
            DataInputStream in = new DataInputStream(slow.getInputStream());
            slow.setSoTimeout(5_000);
            for (int i = 0; i < 10; i++) {
                assertThat(readFrame(in)).isEqualTo(packet);
            }
        }
    }

    @Test
    void shouldCloseConnectionsOverTheLimitAtOnce() throws Exception {
        try (Socket a = connect(); Socket b = connect(); Socket c = connect(); Socket d = connect()) {
            d.setSoTimeout(5_000);
            assertThat(d.getInputStream().read()).as("the fourth of at most three").isEqualTo(-1);
            assertThat(io.refusedConnections()).isEqualTo(1);
            a.getOutputStream().write(framed(bytes(10, 1)));
            assertThat(next().bytes()).isEqualTo(bytes(10, 1));
        }
    }

    @Test
    void shouldForgetAConnectionTheClientClosedAndDropWhatIsSentToIt() throws Exception {
        InetSocketAddress gone;
        try (Socket client = connect()) {
            client.getOutputStream().write(framed(bytes(10, 1)));
            gone = next().from();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> io.tcpConnections() == 0);
        long before = io.sendDropped();
        io.send(ByteBuffer.wrap(bytes(100, 1)), gone);
        assertThat(io.sendDropped()).isEqualTo(before + 1);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", io.tcpPort());
        s.setTcpNoDelay(true);
        return s;
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("a packet within 5 s").isNotNull();
        return r;
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

}
