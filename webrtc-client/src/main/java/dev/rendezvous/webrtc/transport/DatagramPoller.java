package dev.rendezvous.webrtc.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads many connections' sockets on one thread that looks at them every {@code interval} instead of a
 * blocked reader thread per socket.
 *
 * <p>Why: on loopback, the kernel delivers a datagram inside the sender's {@code sendto}, and when a reader
 * thread is blocked on that socket the sender also pays for waking it (and is often preempted by it). With a
 * reader thread per client socket the forwarder under test pays that for nearly every packet it sends; a
 * real client sits on another machine and costs the forwarder nothing of the kind. Nobody ever waits on a
 * polled socket, so a send only queues the datagram. The cost is on the client side: a datagram waits up to
 * one interval before it is read (it shows in the forwarding-delay and jitter figures), as behind a network
 * card that coalesces interrupts.
 */
public final class DatagramPoller implements AutoCloseable {

    /** What a registered socket's owner does with each datagram; {@code into} holds it at [0, len). */
    @FunctionalInterface
    public interface Reader {
        void onDatagram(byte[] into, int len, long nowNanos);
    }

    private static final Logger log = LoggerFactory.getLogger(DatagramPoller.class);

    private final long intervalNanos;
    private final Selector selector;
    private final Thread thread;
    private final ByteBuffer buffer = ByteBuffer.allocate(2048);
    private volatile boolean closed;

    public DatagramPoller(long interval, TimeUnit unit, String name) {
        this.intervalNanos = unit.toNanos(interval);
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector", e);
        }
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Makes {@code channel} non-blocking and reads it from now on; closing the channel unregisters it. */
    public void register(DatagramChannel channel, Reader reader) throws IOException {
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, reader);
    }

    private void loop() {
        byte[] in = buffer.array();
        while (!closed) {
            long next = System.nanoTime() + intervalNanos;
            try {
                if (selector.selectNow() > 0) {
                    Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                    while (ready.hasNext()) {
                        SelectionKey key = ready.next();
                        ready.remove();
                        drain(key, in);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.warn("poll failed", e);
                }
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private void drain(SelectionKey key, byte[] in) {
        if (!key.isValid()) {
            return;
        }
        DatagramChannel channel = (DatagramChannel) key.channel();
        Reader reader = (Reader) key.attachment();
        for (int i = 0; i < 256; i++) { // bounded: one busy socket must not starve the others
            buffer.clear();
            try {
                if (channel.receive(buffer) == null) {
                    return;
                }
            } catch (ClosedChannelException e) {
                key.cancel();
                return;
            } catch (IOException e) {
                continue;
            }
            try {
                reader.onDatagram(in, buffer.position(), System.nanoTime());
            } catch (RuntimeException e) {
                log.warn("datagram dropped after an error", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2_000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
