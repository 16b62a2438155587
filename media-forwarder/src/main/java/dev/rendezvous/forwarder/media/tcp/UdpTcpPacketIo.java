package dev.rendezvous.forwarder.media.tcp;

import dev.rendezvous.forwarder.media.PacketIo;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PacketIo} on the UDP media socket and one passive ICE-TCP port (RFC 6544), served to the packet
 * thread through one selector. Each accepted connection's RFC 4571 frames come out of {@link #receive} as if
 * they were datagrams from the connection's {@link TcpPeerAddress}; {@link #send} to such an address frames
 * the packet onto that connection, anything else goes out as a UDP datagram.
 *
 * <p>The packet thread alternates between the UDP socket and connections with buffered frames, and looks at
 * the selector again when both are drained or after {@value #SELECT_EVERY} packets (new connections, new
 * bytes), so neither side starves the other. A connection is closed when a frame's length is over
 * {@code maxFrame} (the stream is garbage from then on), at end of stream or a read error, when nothing
 * arrived on it for {@code idleTimeout}, or at once on accept when {@code maxConnections} are open. None of
 * this touches the other connections or the UDP side.
 *
 * <p>Sends never block: the UDP socket is non-blocking too (a datagram the kernel has no room for is lost, as
 * it would be on the wire), and a connection whose socket is full buffers up to {@code outCapacity} bytes,
 * then drops packets whole. Receiving and sending allocate nothing per packet.
 */
public final class UdpTcpPacketIo implements PacketIo {

    private static final Logger log = LoggerFactory.getLogger(UdpTcpPacketIo.class);
    static final int SELECT_EVERY = 64;

    /** Limits of the TCP side. */
    public record Limits(int maxConnections, int maxFrame, int outCapacity, long idleTimeoutNanos) {
        public Limits {
            if (maxConnections < 1 || maxFrame < 1 || maxFrame > 0xFFFF || outCapacity < 2 + maxFrame
                    || idleTimeoutNanos <= 0) {
                throw new IllegalArgumentException("bad ICE-TCP limits: " + maxConnections + ", " + maxFrame
                        + ", " + outCapacity + ", " + idleTimeoutNanos);
            }
        }
    }

    private final DatagramChannel udp;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Limits limits;
    private final int udpPort;
    private final int tcpPort;
    private final Set<TcpConnection> open = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<TcpConnection> ready = new ArrayDeque<>();
    private final List<TcpConnection> expired = new ArrayList<>();
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final Consumer<TcpConnection> wantWrite = this::wantWrite;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private long serial;
    private boolean udpReadable;
    private boolean tcpTurn;
    private int sinceSelect;
    private long lastSweepNanos = System.nanoTime();
    private volatile boolean closed;

    private UdpTcpPacketIo(DatagramChannel udp, ServerSocketChannel server, Selector selector, Limits limits)
            throws IOException {
        this.udp = udp;
        this.server = server;
        this.selector = selector;
        this.limits = limits;
        this.udpPort = ((InetSocketAddress) udp.getLocalAddress()).getPort();
        this.tcpPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
        udp.register(selector, SelectionKey.OP_READ);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** The TCP port could not be bound (the UDP socket could). */
    public static final class TcpBindException extends IOException {
        private static final long serialVersionUID = 1L;

        TcpBindException(IOException cause) {
            super("ICE-TCP port: " + cause.getMessage(), cause);
        }
    }

    /**
     * Binds {@code bindAddress:udpPort} (UDP) and {@code bindAddress:tcpPort} (TCP); 0 = any free port.
     *
     * @throws TcpBindException only the TCP port failed (nothing stays bound)
     */
    public static UdpTcpPacketIo bind(String bindAddress, int udpPort, int tcpPort, Limits limits)
            throws IOException {
        InetAddress address = InetAddress.getByName(bindAddress);
        DatagramChannel udp = DatagramChannel.open(address instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        ServerSocketChannel server = null;
        Selector selector = null;
        try {
            udp.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            udp.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
            udp.bind(new InetSocketAddress(address, udpPort));
            udp.configureBlocking(false);
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                server.bind(new InetSocketAddress(address, tcpPort), 128);
            } catch (IOException e) {
                throw new TcpBindException(e);
            }
            server.configureBlocking(false);
            selector = Selector.open();
            return new UdpTcpPacketIo(udp, server, selector, limits);
        } catch (IOException | RuntimeException e) {
            closeQuietly(udp);
            closeQuietly(server);
            closeQuietly(selector);
            throw e;
        }
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        try {
            while (true) {
                boolean idle = !udpReadable && ready.isEmpty();
                if (idle || sinceSelect >= SELECT_EVERY) {
                    sinceSelect = 0;
                    if (idle) {
                        selector.select(onKey, 1_000);
                    } else {
                        selector.selectNow(onKey);
                    }
                    sweep(System.nanoTime());
                    continue;
                }
                sinceSelect++;
                if ((tcpTurn || !udpReadable) && !ready.isEmpty()) {
                    tcpTurn = false;
                    InetSocketAddress from = nextFrame(into);
                    if (from != null) {
                        return from;
                    }
                    continue;
                }
                tcpTurn = true;
                if (udpReadable) {
                    SocketAddress from = udp.receive(into);
                    if (from == null) {
                        udpReadable = false;
                    } else if (from instanceof InetSocketAddress isa) {
                        return isa;
                    }
                }
            }
        } catch (ClosedSelectorException e) {
            throw new ClosedChannelException();
        } catch (ClosedChannelException e) {
            if (closed) {
                throw e;
            }
            throw new IOException("media socket closed", e);
        }
    }

    /** One frame of the first connection in line, which then goes to the back if it has more buffered. */
    private InetSocketAddress nextFrame(ByteBuffer into) {
        TcpConnection c = ready.pollFirst();
        int n = c.reader.next(into);
        if (n == FrameReader.OVERSIZE) {
            log.info("ICE-TCP connection from {} closed: a frame is longer than {} bytes", c.address.remote(),
                    Math.min(limits.maxFrame(), into.remaining()));
            drop(c);
            return null;
        }
        if (n == FrameReader.NEED_MORE) {
            c.queued = false; // the selector says when more arrives
            return null;
        }
        ready.addLast(c);
        return c.address;
    }

    private void onKey(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        if (attachment instanceof TcpConnection c) {
            if (key.isWritable()) {
                onWritable(c);
            }
            if (key.isValid() && key.isReadable()) {
                onReadable(c);
            }
        } else if (key.channel() == udp) {
            udpReadable = true;
        } else if (key.isAcceptable()) {
            accept();
        }
    }

    private void onReadable(TcpConnection c) {
        int n;
        try {
            n = c.reader.readFrom(c.channel);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            drop(c);
            return;
        }
        if (n > 0) {
            c.lastReceiveNanos = System.nanoTime();
        }
        if (!c.queued && c.reader.hasBuffered()) {
            c.queued = true;
            ready.addLast(c);
        }
    }

    private void onWritable(TcpConnection c) {
        SelectionKey key = c.key;
        try {
            key.interestOpsAnd(~SelectionKey.OP_WRITE); // before the flush: a send that buffers after it sets it again
            if (!c.flush()) {
                key.interestOpsOr(SelectionKey.OP_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            drop(c);
        }
    }

    private void accept() {
        SocketChannel ch;
        try {
            ch = server.accept();
        } catch (IOException e) {
            log.debug("ICE-TCP accept failed: {}", e.toString());
            return;
        }
        if (ch == null) {
            return;
        }
        if (open.size() >= limits.maxConnections()) {
            refused.increment();
            closeQuietly(ch);
            return;
        }
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
            TcpConnection c = new TcpConnection(ch, ++serial, remote, limits.maxFrame(), limits.outCapacity(),
                    wantWrite, System.nanoTime());
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            open.add(c);
            log.debug("ICE-TCP connection from {}", remote);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
        }
    }

    /** A sending thread buffered bytes the socket did not take: watch for writability. */
    private void wantWrite(TcpConnection c) {
        SelectionKey key = c.key;
        try {
            key.interestOpsOr(SelectionKey.OP_WRITE);
            selector.wakeup();
        } catch (RuntimeException e) {
            // cancelled: the connection is closing
        }
    }

    private void sweep(long now) {
        if (now - lastSweepNanos < 1_000_000_000L) {
            return;
        }
        lastSweepNanos = now;
        for (TcpConnection c : open) {
            if (now - c.lastReceiveNanos > limits.idleTimeoutNanos()) {
                expired.add(c);
            }
        }
        for (TcpConnection c : expired) {
            log.debug("ICE-TCP connection from {} closed: idle", c.address.remote());
            drop(c);
        }
        expired.clear();
    }

    private void drop(TcpConnection c) {
        open.remove(c);
        if (c.queued) {
            ready.remove(c);
            c.queued = false;
        }
        c.close();
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        if (to instanceof TcpPeerAddress tcp) {
            if (!tcp.connection().send(datagram)) {
                dropped.increment();
            }
        } else if (udp.send(datagram, to) == 0) {
            dropped.increment();
        }
    }

    @Override
    public int localPort() {
        return udpPort;
    }

    @Override
    public int tcpPort() {
        return tcpPort;
    }

    /** ICE-TCP connections open now. */
    public int tcpConnections() {
        return open.size();
    }

    /** Packets dropped on sending: a full socket or connection buffer, or a closed connection. */
    public long sendDropped() {
        return dropped.sum();
    }

    /** Connections closed at once because {@code maxConnections} were open. */
    public long refusedConnections() {
        return refused.sum();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(selector);
        closeQuietly(server);
        closeQuietly(udp);
        for (TcpConnection c : open) {
            c.close();
        }
        open.clear();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
