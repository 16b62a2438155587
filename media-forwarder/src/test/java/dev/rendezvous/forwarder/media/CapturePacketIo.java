package dev.rendezvous.forwarder.media;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link PacketIo} for packet-level tests: nothing arrives on its own (tests hand datagrams to
 * {@link PacketPath#onDatagram} on their own thread), and everything the forwarder sends is kept.
 */
final class CapturePacketIo implements PacketIo {

    record Sent(InetSocketAddress to, byte[] bytes) {}

    private final List<Sent> sent = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Benchmarks: what is sent is counted, not kept. */
    private volatile boolean discard;
    private long discarded;
    private long discardedBytes;

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws ClosedChannelException {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ClosedChannelException();
    }

    @Override
    public synchronized void send(ByteBuffer datagram, InetSocketAddress to) {
        if (discard) {
            discarded++;
            discardedBytes += datagram.remaining();
            datagram.position(datagram.limit());
            return;
        }
        byte[] b = new byte[datagram.remaining()];
        datagram.get(b);
        sent.add(new Sent(to, b));
    }

    /** Everything sent to {@code to} since the last call for it (taken out). */
    synchronized List<byte[]> take(InetSocketAddress to) {
        List<byte[]> out = new ArrayList<>();
        sent.removeIf(s -> {
            if (s.to().equals(to)) {
                out.add(s.bytes());
                return true;
            }
            return false;
        });
        return out;
    }

    /** From now on what the forwarder sends is only counted (a benchmark sends more than memory would hold). */
    void discardFromNow() {
        discard = true;
    }

    /** Datagrams counted and dropped since {@link #discardFromNow}. */
    synchronized long discarded() {
        return discarded;
    }

    /** Bytes of the datagrams counted and dropped since {@link #discardFromNow}. */
    synchronized long discardedBytes() {
        return discardedBytes;
    }

    @Override
    public int localPort() {
        return 10000;
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
