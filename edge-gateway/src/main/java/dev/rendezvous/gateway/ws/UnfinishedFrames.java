package dev.rendezvous.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
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
 * could hold. Two bounds, both closing the socket with 1013 "try again later" (the page reconnects):
 * <ul>
 * <li><b>memory</b>: when a read takes the sum above {@code budget}, the socket holding the most unfinished bytes is
 *     closed (usually the flood's, which hold hundreds of KiB each, not a page's short frames);</li>
 * <li><b>time</b>: a socket whose unfinished frame has not completed, nor any other frame, within {@code timeout} is
 *     closed (a frame that trickles in, or stops, holds its bytes no longer than that).</li>
 * </ul>
 * Counted by two handlers around the decoder of each upgraded connection ({@link #watch}): one adds the bytes read,
 * the other subtracts each decoded frame's size on the wire (header, mask key and payload; Netty refuses frames that
 * do not use the shortest length encoding, so the size is exact). Both run on the connection's event loop; the
 * gateway's sum is written only when a read leaves a frame unfinished or finishes one that was. Nothing here runs
 * per media packet (media is UDP, at the forwarder).
 */
public final class UnfinishedFrames {

    /** Why a socket was closed: over the gateway's budget, or a frame slower than the timeout. */
    public enum Reason {
        FRAMES_OVER_BUDGET, FRAME_TOO_SLOW;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final int TRY_AGAIN_LATER = 1013;

    private final long budget;
    private final long timeoutNanos;
    private final Consumer<Reason> closed;
    private final AtomicLong held = new AtomicLong();
    /** Bytes of sockets being closed for the budget, until their counts are released. */
    private final AtomicLong leaving = new AtomicLong();
    /** The sockets holding unfinished bytes now. */
    private final Set<Meter> holding = ConcurrentHashMap.newKeySet();

    /**
     * @param budget  bytes of unfinished frames the gateway holds at most, summed over its sockets
     * @param timeout how long a socket's unfinished frame may take
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
     * the upgrade, when the connection has its frame decoder).
     */
    public WebSocketService around(WebSocketService service) {
        return (exchange, handler) -> {
            Channel[] channel = new Channel[1];
            if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof HttpServerRequest netty) {
                netty.withConnection(c -> channel[0] = c.channel());
            }
            return service.handleRequest(exchange, channel[0] == null ? handler : new WebSocketHandler() {
                @Override
                public Mono<Void> handle(WebSocketSession session) {
                    watch(channel[0]);
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

    /**
     * Counts an upgraded connection's unfinished frames from now on. A connection without a WebSocket frame decoder
     * (not upgraded, or already closing) is left alone. Bytes the decoder held before are not counted (a frame that
     * completes later subtracts at most what was counted).
     */
    public void watch(Channel channel) {
        ChannelPipeline p = channel.pipeline();
        ChannelHandlerContext decoder = p.context(WebSocketFrameDecoder.class);
        if (decoder == null) {
            return;
        }
        Meter m = new Meter(channel);
        try {
            p.addBefore(decoder.name(), "rendezvous-frame-bytes-in", m.in);
            p.addAfter(decoder.name(), "rendezvous-frame-bytes-out", m.out);
        } catch (RuntimeException e) {   // the connection went away meanwhile (the decoder was removed)
            m.release();
            return;
        }
        channel.closeFuture().addListener(f -> m.release());
    }

    /**
     * One socket's count, kept on its event loop: {@code pending} changes as bytes are read and frames decoded, and is
     * published to the gateway's sum ({@code published}) once per read, after the decoder took what it could. A frame
     * that arrives in one read (nearly all of them) so costs no shared write at all.
     */
    private final class Meter {

        private final Channel channel;
        private long pending;
        /** The part of {@link #held} that is this socket's; read by other loops choosing whom to close. */
        private volatile long published;
        /** Frames completed so far: the timeout's check compares it with what it was when it was set. */
        private long frames;
        private boolean checkSet;
        private boolean released;
        /** Set once by whoever closes it here (under the meter's lock); then its bytes count in {@link #leaving}. */
        private volatile boolean closing;
        private long leavingCounted;

        Meter(Channel channel) {
            this.channel = channel;
        }

        final ChannelInboundHandlerAdapter in = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!(msg instanceof ByteBuf b) || released) {
                    ctx.fireChannelRead(msg);
                    return;
                }
                pending += b.readableBytes();
                ctx.fireChannelRead(msg);   // the decoder decodes what is complete now, the out handler subtracts it
                if (released) {
                    return;
                }
                publish();
                if (pending > 0) {
                    if (held.get() - leaving.get() > budget) {
                        closeLargest();
                    }
                    if (!checkSet) {
                        setCheck(ctx, frames);
                    }
                }
            }
        };

        final ChannelDuplexHandler out = new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof WebSocketFrame f) {
                    frames++;
                    pending -= Math.min(wireSize(f.content().readableBytes()), pending);
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

        /** After {@code timeout}: closes the socket if no frame completed since {@code framesThen} and bytes wait. */
        private void setCheck(ChannelHandlerContext ctx, long framesThen) {
            checkSet = true;
            ctx.executor().schedule(() -> {
                checkSet = false;
                if (released || pending == 0) {
                    return;
                }
                if (frames == framesThen) {
                    close(this, Reason.FRAME_TOO_SLOW, "a frame took too long to arrive");
                } else {
                    setCheck(ctx, frames);   // frames complete, another one is on its way: its own time from now
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }

        /** On the connection's event loop: its bytes leave the budget (closed, or closing). */
        void release() {
            if (released) {
                return;
            }
            released = true;
            pending = 0;
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

    /**
     * Over the budget: the socket holding the most unfinished bytes goes. Its count is released on its own event loop
     * (where it is kept); until then its bytes count as leaving ({@link #leaving}), so that reads on other sockets
     * meanwhile do not close more sockets for the same bytes.
     */
    private void closeLargest() {
        holding.stream().filter(m -> !m.closing).max(Comparator.comparingLong(m -> m.published))
                .ifPresent(m -> close(m, Reason.FRAMES_OVER_BUDGET, "the gateway holds too many unfinished frames"));
    }

    private void close(Meter m, Reason reason, String text) {
        long p;
        synchronized (m) {
            if (m.closing) {
                return;   // another read or the timeout got there first
            }
            m.closing = true;
            p = m.published;
            m.leavingCounted = p;
        }
        leaving.addAndGet(p);
        closed.accept(reason);
        Channel ch = m.channel;
        ch.writeAndFlush(new CloseWebSocketFrame(TRY_AGAIN_LATER, text)).addListener(ChannelFutureListener.CLOSE);
        ch.eventLoop().execute(m::release);
    }

    /** A client frame's size on the wire: 2 header bytes, 0/2/8 extended length bytes, the 4-byte mask key, payload. */
    static long wireSize(int payload) {
        return 2L + (payload <= 125 ? 0 : payload <= 0xFFFF ? 2 : 8) + 4 + payload;
    }
}
