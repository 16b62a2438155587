package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.dtls.DtlsServerEndpoint;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.stun.StunBindingResponder;
import dev.rendezvous.forwarder.media.tcp.TcpPeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet thread: reads each datagram and runs it through the receive stages, with no queues, no hand-offs
 * and no allocation per packet (one receive buffer, one send buffer):
 * {@code demux} (RFC 7983 first byte) → {@code ice} (STUN binding, {@link StunBindingResponder}; address
 * learning in {@link Transports}) → {@code dtls} (handshake datagrams to the association) →
 * {@code srtp-decrypt} (which also confirms a moved address) → {@code rtp-parse} → {@link RtpForwarder} or
 * {@link RtcpHandler}. Every stage counts what it drops and why ({@link PathCounters}).
 *
 * <p>{@link #onDatagram} is the seam tests drive directly; {@link #run} feeds it from a {@link PacketIo}.
 * An exception from a stage is counted ({@code engine,error}) and loses only that datagram.
 */
final class PacketPath implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PacketPath.class);

    private final PathCounters counters;
    private final Transports transports;
    private final DtlsHandshakes dtls;
    private final StunBindingResponder stun;
    private final RtpForwarder rtp;
    private final RtcpHandler rtcp;
    private final KeyframeService keyframes;
    private final ConsumerStarts starts;
    private final PacketSender sender;
    private final LongSupplier nanos;
    /** The longest datagram (or ICE-TCP frame) read whole. */
    static final int RECEIVE_BUFFER = 2048;
    private final byte[] in = new byte[RECEIVE_BUFFER];
    private final ByteBuffer inBuffer = ByteBuffer.wrap(in);
    private final byte[] stunOut = new byte[StunBindingResponder.MAX_RESPONSE];
    private final ByteBuffer stunBuffer = ByteBuffer.wrap(stunOut);
    private volatile PacketIo io;
    private volatile boolean running;

    PacketPath(PathCounters counters, Transports transports, DtlsHandshakes dtls, RtpForwarder rtp, RtcpHandler rtcp,
               KeyframeService keyframes, ConsumerStarts starts, PacketSender sender, LongSupplier nanos) {
        this.nanos = nanos;
        this.counters = counters;
        this.transports = transports;
        this.dtls = dtls;
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.keyframes = keyframes;
        this.starts = starts;
        this.sender = sender;
        this.stun = new StunBindingResponder(transports::passwordOf);
    }

    void attach(PacketIo io) {
        this.io = io;
        this.running = true;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        PacketIo source = io;
        while (running) {
            InetSocketAddress from;
            try {
                inBuffer.clear();
                from = source.receive(inBuffer);
                if (from == null) {
                    continue;
                }
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (running) {
                    log.warn("media socket receive failed: {}", e.toString());
                }
                continue;
            }
            int len = inBuffer.position();
            onReceived(from, len, nanos.getAsLong());
        }
    }

    /** Runs one datagram (copied into the receive buffer) through the stages. Packet thread, or a test. */
    void onDatagram(InetSocketAddress from, byte[] datagram, int off, int len, long now) {
        int n = Math.min(len, in.length);
        System.arraycopy(datagram, off, in, 0, n);
        onReceived(from, n, now);
    }

    private void onReceived(InetSocketAddress from, int len, long now) {
        counters.packetsIn.increment();
        counters.bytesIn.add(len);
        try {
            if (!starts.isEmpty()) {
                startConsumers(now);
            }
            switch (PacketClass.of(in, 0, len)) {
                case STUN -> onStun(from, len, now);
                case DTLS -> onDtls(from, len);
                case RTP -> onSrtp(from, len, now, false);
                case RTCP -> onSrtp(from, len, now, true);
                default -> counters.demuxUnknown.increment();
            }
        } catch (RuntimeException e) {
            counters.stageError.increment();
            log.warn("packet from {} dropped after an error", from, e);
        }
    }

    private void startConsumers(long now) {
        Consumer c;
        while ((c = starts.poll()) != null) {
            if (c.closed || c.forwarding) {
                continue;
            }
            keyframes.startConsumer(c, now, rtp.out, rtp.outBuffer);
            c.forwarding = true;
        }
    }

    private void onStun(InetSocketAddress from, int len, long now) {
        String forgotten;
        while ((forgotten = transports.pollForgotten()) != null) {
            stun.forget(forgotten);
        }
        InetSocketAddress seen = TcpPeerAddress.reflexive(from); // a TCP connection's real remote end
        int n = stun.handle(in, 0, len, seen.getAddress().getAddress(), seen.getPort(), stunOut);
        if (n < 0) {
            counters.iceDropped.increment();
            return;
        }
        Transport t = transports.byUfrag(stun.lastLocalUfrag());
        if (t == null || t.closed) {
            counters.iceDropped.increment();
            return;
        }
        counters.iceAnswered.increment();
        InetSocketAddress before = t.candidate;
        transports.onAuthenticatedCheck(t, from, stun.lastUseCandidate(), now);
        if (t.candidate != null && t.candidate != before) {
            counters.iceCandidate.increment();
        }
        sender.send(stunBuffer, n, from);
    }

    private void onDtls(InetSocketAddress from, int len) {
        Transport t = transports.byAddress(from);
        if (t == null || !from.equals(t.remote)) {
            counters.dtlsUnknownSource.increment();
            return;
        }
        DtlsServerEndpoint d = t.dtls;
        if (d == null) {
            dtls.startEarly(t);
            d = t.dtls;
            if (d == null) { // closed meanwhile
                counters.dtlsNoSession.increment();
                return;
            }
        }
        counters.dtlsPassed.increment();
        d.receive(in, 0, len);
    }

    private void onSrtp(InetSocketAddress from, int len, long now, boolean control) {
        Transport t = transports.byAddress(from);
        if (t == null) {
            counters.srtpUnknownSource.increment();
            return;
        }
        if (t.srtpIn == null) {
            counters.srtpNotReady.increment();
            return;
        }
        int plen = control ? t.srtpIn.unprotectRtcp(in, 0, len) : t.srtpIn.unprotectRtp(in, 0, len);
        if (plen < 0) {
            counters.srtpRefused(plen);
            return;
        }
        if (!from.equals(t.remote)) {
            // authenticated media from the address a STUN check proposed: the path moved there
            if (!transports.confirmCandidate(t, from)) {
                counters.srtpUnknownSource.increment();
                return;
            }
            counters.iceMoved.increment();
        }
        if (control) {
            rtcp.onRtcp(t, in, plen, now);
        } else if (!Rtp.isValid(in, 0, plen)) {
            counters.rtpMalformed.increment();
        } else {
            rtp.onRtp(t, in, plen, now);
        }
    }
}
