package dev.rendezvous.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The gateway's budget for WebSocket frames still arriving: the bytes Netty's frame decoder holds of frames not yet
 * complete, summed over every socket. Each socket may send a frame of up to
 * {@code rendezvous.gateway.max-transport-frame-bytes} (260 KiB, for SDP), and it may do so before any token is
 * checked; without a budget, the socket cap times that (≈ 4 GB at the defaults) is what a flood of half-sent frames
 * could hold. Two bounds, both closing the socket with 1013 (Try Again Later; the page reconnects):
 * <ul>
 * <li><b>memory</b>: when a read takes the sum above {@code budget}, the socket holding the most unfinished bytes is
 *     closed (usually the flood's, which hold hundreds of KiB each, not a page's short frames);</li>
 * <li><b>time</b>: a socket whose message has not completed within {@code timeout} of the read that began it is
 *     closed (a frame that trickles in, or stops, holds its bytes no longer than that).</li>
 * </ul>
 * A message is a frame, or a fragmented message's frames up to its final one: Spring's session aggregates fragments
 * ({@code WebSocketFrameAggregator}, behind the decoder), so their bytes stay counted until the last arrives; control
 * frames (ping, pong, close) in between are subtracted alone and do not restart the time.
 * Counted by two handlers around the decoder of each upgraded connection ({@link #watch}): one adds the bytes read,
 * the other subtracts each complete message's size on the wire (headers, mask keys and payloads; Netty refuses frames
 * that do not use the shortest length encoding, so the size is exact). Both run on the connection's event loop; the
 * gateway's sum is written only when a read leaves a message unfinished or finishes one that was, so a chat frame that
 * arrives in one read costs no shared write. The sum counts the bytes read, not the buffers holding them (Netty's
 * cumulation grows in steps, up to about twice that). Nothing here runs per media packet (media is UDP, at the
 * forwarder).
 */
public final class UnfinishedFrames {

    /** Why a socket was closed: over the gateway's budget, or a message slower than the timeout. */
    public enum Reason {
        FRAMES_OVER_BUDGET, FRAME_TOO_SLOW;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How a socket is closed: the session's close (so Reactor Netty knows), or a close frame on the channel. */
    @FunctionalInterface
    public interface Closer {
        void close(int code, String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(UnfinishedFrames.class);
    private static final AtomicBoolean NOT_NETTY_TOLD = new AtomicBoolean();

    static final int TRY_AGAIN_LATER = 1013;
    /** A socket told to close that has not closed after this long (it does not read its close frame) is cut. */
    static final Duration FORCE_CLOSE = Duration.ofSeconds(1);

    private final long budget;
    private final long timeoutNanos;
    private final Consumer<Reason> closed;
    private final AtomicLong held = new AtomicLong();
    /** Bytes of sockets being closed here, until they are closed and their counts released. */
    private final AtomicLong leaving = new AtomicLong();
    /** The sockets holding unfinished bytes now. */
    private final Set<Meter> holding = ConcurrentHashMap.newKeySet();

    /**
     * @param budget  bytes of unfinished frames the gateway holds at most, summed over its sockets
     * @param timeout how long a socket's message may take from the read that began it
     * @param closed  told of every socket closed here (a metric)
     */
    public UnfinishedFrames(long budget, Duration timeout, Consumer<Reason> closed) {
        if (budget < 1) {
            throw new IllegalArgumentException("the unfinished-frames budget must be positive");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the unfinished-frame timeout must be positive");
        }
        this.budget = budget;
        this.timeoutNanos = timeout.toNanos();
        this.closed = closed;
    }

    /**
     * {@code service} with every socket's unfinished frames counted here from the moment its handler starts (after
     * the upgrade, when the connection has its frame decoder); a socket closed here is closed through its session.
     */
    public WebSocketService around(WebSocketService service) {
        return (exchange, handler) -> {
            Channel[] channel = new Channel[1];
            if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof HttpServerRequest netty) {
                netty.withConnection(c -> channel[0] = c.channel());
            } else if (NOT_NETTY_TOLD.compareAndSet(false, true)) {
                log.warn("the server is not Reactor Netty: frames still arriving are not counted against a budget");
            }
            return service.handleRequest(exchange, channel[0] == null ? handler : new WebSocketHandler() {
                @Override
                public Mono<Void> handle(WebSocketSession session) {
                    watch(channel[0], (code, reason) -> session.close(new CloseStatus(code, reason))
                            .subscribe(v -> { }, e -> { }));
                    return handler.handle(session);
                }

                @Override
                public java.util.List<String> getSubProtocols() {
                    return handler.getSubProtocols();
                }
            });
        };
    }

    /** Bytes of unfinished frames held now, over all sockets. */
    public long held() {
        return held.get();
    }

    public long budget() {
        return budget;
    }

    /** Bytes of sockets told to close here that have not closed yet (they do not count against the budget). */
    public long leaving() {
        return leaving.get();
    }

    /** {@link #watch(Channel, Closer)}, closing with a close frame written to the channel. */
    public void watch(Channel channel) {
        watch(channel, (code, reason) -> channel.writeAndFlush(new CloseWebSocketFrame(code, reason))
                .addListener(ChannelFutureListener.CLOSE));
    }

    /**
     * Counts an upgraded connection's unfinished frames from now on. A connection without a WebSocket frame decoder
     * (not upgraded, or already closing) is left alone. Bytes the decoder held before are not counted (a message that
     * completes later subtracts at most what was counted).
     */
    public void watch(Channel channel, Closer closer) {
        ChannelPipeline p = channel.pipeline();
        ChannelHandlerContext decoder = p.context(WebSocketFrameDecoder.class);
        if (decoder == null) {
            return;
        }
        Meter m = new Meter(channel, closer);
        try {
            p.addBefore(decoder.name(), "rendezvous-frame-bytes-in", m.in);
            p.addAfter(decoder.name(), "rendezvous-frame-bytes-out", m.out);
        } catch (RuntimeException e) {   // the connection went away meanwhile (the decoder was removed)
            if (p.context(m.in) != null) {
                p.remove(m.in);
            }
            channel.eventLoop().execute(m::release);   // nothing counted stays counted
            return;
        }
        channel.closeFuture().addListener(f -> m.release());
    }

    /**
     * One socket's count, kept on its event loop: {@code pending} changes as bytes are read and messages complete,
     * and is published to the gateway's sum ({@code published}) once per read, after the decoder took what it could.
     */
    private final class Meter {

        private final Channel channel;
        private final Closer closer;
        private long pending;
        /** The wire bytes of the fragments of a message whose final frame has not come (held by the aggregator). */
        private long fragments;
        /** The part of {@link #held} that is this socket's; read by other loops choosing whom to close. */
        private volatile long published;
        /** Messages completed in the current read. */
        private int completed;
        /** The check of the message on its way, if one is. */
        private ScheduledFuture<?> check;
        private boolean released;
        /** Set once, under the meter's lock, by whoever closes it here; then its bytes count in {@link #leaving}. */
        private volatile boolean closing;
        private long leavingCounted;

        Meter(Channel channel, Closer closer) {
            this.channel = channel;
            this.closer = closer;
        }

        final ChannelInboundHandlerAdapter in = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!(msg instanceof ByteBuf b) || released) {
                    ctx.fireChannelRead(msg);
                    return;
                }
                boolean wasPending = pending > 0;
                completed = 0;
                pending += b.readableBytes();
                ctx.fireChannelRead(msg);   // the decoder decodes what is complete now, the out handler subtracts it
                if (released) {
                    return;
                }
                publish();
                if (pending == 0) {
                    cancelCheck();
                    return;
                }
                if (!wasPending || completed > 0 || check == null) {
                    startCheck(ctx);   // a message began in this read: its own time from now
                }
                if (held.get() - leaving.get() > budget) {
                    closeLargest();
                }
            }
        };

        final ChannelInboundHandlerAdapter out = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof WebSocketFrame f) {
                    long wire = wireSize(f.content().readableBytes());
                    boolean data = f instanceof ContinuationWebSocketFrame || !isControl(f);
                    if (data && !f.isFinalFragment()) {
                        fragments += wire;   // the aggregator keeps it until the final fragment
                    } else {
                        long done = wire + (data ? fragments : 0);
                        if (data) {
                            fragments = 0;
                            completed++;
                        }
                        pending -= Math.min(done, pending);
                    }
                }
                ctx.fireChannelRead(msg);
            }
        };

        /** The socket's pending bytes into the gateway's sum, and into or out of the holders. */
        private void publish() {
            long before = published;
            if (pending == before) {
                return;
            }
            held.addAndGet(pending - before);
            published = pending;
            if (before == 0) {
                holding.add(this);
            } else if (pending == 0) {
                holding.remove(this);
            }
        }

        private void startCheck(ChannelHandlerContext ctx) {
            cancelCheck();
            check = ctx.executor().schedule(() -> {
                check = null;
                if (!released && pending > 0) {
                    close(this, Reason.FRAME_TOO_SLOW, "a frame took too long to arrive");
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }

        private void cancelCheck() {
            if (check != null) {
                check.cancel(false);
                check = null;
            }
        }

        /** On the connection's event loop, when it has closed: its bytes leave the budget. */
        void release() {
            if (released) {
                return;
            }
            released = true;
            cancelCheck();
            pending = 0;
            fragments = 0;
            holding.remove(this);
            held.addAndGet(-published);
            published = 0;
            synchronized (this) {
                closing = true;   // nothing closes it again
                leaving.addAndGet(-leavingCounted);
                leavingCounted = 0;
            }
        }
    }

    private static boolean isControl(WebSocketFrame f) {
        return f instanceof io.netty.handler.codec.http.websocketx.PingWebSocketFrame
                || f instanceof io.netty.handler.codec.http.websocketx.PongWebSocketFrame
                || f instanceof CloseWebSocketFrame;
    }

    /**
     * Over the budget: the socket holding the most unfinished bytes goes (a scan of the holders, only when over).
     * Its count is released when it has closed; until then its bytes count as leaving ({@link #leaving}), so that
     * reads on other sockets meanwhile do not close more sockets for the same bytes.
     */
    private void closeLargest() {
        holding.stream().filter(m -> !m.closing).max(Comparator.comparingLong(m -> m.published))
                .ifPresent(m -> close(m, Reason.FRAMES_OVER_BUDGET, "the gateway holds too many unfinished frames"));
    }

    /**
     * Closes the socket with 1013 through its closer, and cuts it {@link #FORCE_CLOSE} later if it is still open (a
     * client that does not read would never let the close frame out).
     */
    private void close(Meter m, Reason reason, String text) {
        long bytes;
        synchronized (m) {
            if (m.closing) {
                return;   // another read or the timeout got there first, or it closed
            }
            m.closing = true;
            bytes = m.published;
            m.leavingCounted = bytes;
            leaving.addAndGet(bytes);
        }
        closed.accept(reason);
        Channel ch = m.channel;
        log.info("connection {} closed ({}): it held {} bytes of unfinished frames", ch.id().asShortText(), reason.tag(),
                bytes);
        m.closer.close(TRY_AGAIN_LATER, text);
        ch.eventLoop().schedule(() -> {
            if (ch.isOpen()) {
                ch.close();
            }
        }, FORCE_CLOSE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A client frame's size on the wire: 2 header bytes, 0/2/8 extended length bytes, the 4-byte mask key, payload. */
    public static long wireSize(int payload) {
        return 2L + (payload <= 125 ? 0 : payload <= 0xFFFF ? 2 : 8) + 4 + payload;
    }
}
