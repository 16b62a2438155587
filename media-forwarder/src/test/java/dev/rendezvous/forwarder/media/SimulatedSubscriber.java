package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A page's subscribe connection on a simulated clock, as a browser behind a downlink sees it: what the forwarder
 * sends it crosses a link — a {@link TokenBucketShaper} (or no bottleneck) and a fixed one-way delay — and, on
 * arrival, is decrypted with one long-lived SRTP session and its transport-wide number noted; every
 * {@value #FEEDBACK_INTERVAL_MS} ms the page sends the transport-wide feedback ({@link BrowserTransportFeedback})
 * back to the forwarder over an unshaped path with the same delay. Keeps every RTP packet the forwarder sent it, in
 * sending order, with what became of it (dropped by the shaper, or when it arrived).
 */
final class SimulatedSubscriber {

    static final long FEEDBACK_INTERVAL_MS = 50;
    /** What IPv4 and UDP add to each datagram on the link. */
    static final int IP_UDP_BYTES = 28;
    private static final int TWCC_ID = 3;
    /** The page's clock is not the forwarder's: only differences of its arrival times may matter. */
    private static final long CLOCK_OFFSET_US = 7_654_321;

    /** One datagram the forwarder sent this page: an RTP packet (decrypted) or RTCP ({@code ssrc} -1). */
    static final class Packet {
        final long ssrc;
        final int seq;
        final long timestamp;
        final int layer;
        final boolean keyframeStart;
        final int transportSeq;
        final int wireBytes;
        final long sentNanos;
        boolean dropped;
        long arrivedNanos = -1;
        private long dueNanos;

        Packet(long ssrc, int seq, long timestamp, int layer, boolean keyframeStart, int transportSeq, int wireBytes,
               long sentNanos) {
            this.ssrc = ssrc;
            this.seq = seq;
            this.timestamp = timestamp;
            this.layer = layer;
            this.keyframeStart = keyframeStart;
            this.transportSeq = transportSeq;
            this.wireBytes = wireBytes;
            this.sentNanos = sentNanos;
        }

        boolean arrived() {
            return arrivedNanos >= 0;
        }
    }

    private record Pending(long atNanos, byte[] datagram) {}

    final Client client;
    private final PacketHarness h;
    private final SrtpSession srtp;
    private final TokenBucketShaper<Packet> shaper;
    private final long oneWayNanos;
    private final BrowserTransportFeedback feedback;
    private final ArrayDeque<Packet> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Pending> returnPath = new ArrayDeque<>();
    /** Every RTP packet the forwarder sent this page, in sending order. */
    final List<Packet> sent = new ArrayList<>();
    private long nextFeedbackNanos;
    private long lastMediaSsrc;
    private long refused;
    private long bytesSent;

    /**
     * @param shaper     the downlink's bottleneck, or null for none
     * @param oneWayNanos propagation delay each way
     */
    SimulatedSubscriber(PacketHarness h, Client client, TokenBucketShaper<Packet> shaper, long oneWayNanos,
                        long startNanos) {
        this.h = h;
        this.client = client;
        this.srtp = client.subscribeReceiver();
        this.shaper = shaper;
        this.oneWayNanos = oneWayNanos;
        this.feedback = new BrowserTransportFeedback(0x5000_0000L + client.subscribeAddress.getPort());
        this.nextFeedbackNanos = startNanos + FEEDBACK_INTERVAL_MS * 1_000_000;
    }

    /** Puts what the forwarder sent this page since the last call on the link, sent at {@code nowNanos}. */
    void takeFromForwarder(long nowNanos) {
        for (byte[] d : h.io.take(client.subscribeAddress)) {
            Packet p = PacketClass.of(d, 0, d.length) == PacketClass.RTP ? decrypt(d, nowNanos)
                    : new Packet(-1, -1, -1, -1, false, -1, d.length + IP_UDP_BYTES, nowNanos);
            if (p == null) {
                continue;
            }
            bytesSent += p.wireBytes;
            if (shaper == null) {
                departed(p, nowNanos);
            } else if (!shaper.offer(p, p.wireBytes, nowNanos, this::departed)) {
                p.dropped = true;
            }
        }
    }

    private Packet decrypt(byte[] datagram, long nowNanos) {
        byte[] b = Arrays.copyOf(datagram, datagram.length);
        int n = srtp.unprotectRtp(b, 0, b.length);
        if (n <= 0) {
            refused++;
            return null;
        }
        Packet p = new Packet(Rtp.ssrc(b, 0), Rtp.sequence(b, 0), Rtp.timestamp(b, 0),
                SyntheticPublisher.layerOf(b, n), SyntheticPublisher.startsKeyframe(b, n),
                Rtp.transportSequence(b, 0, n, TWCC_ID), datagram.length + IP_UDP_BYTES, nowNanos);
        sent.add(p);
        return p;
    }

    private void departed(Packet p, long atNanos) {
        p.dueNanos = atNanos + oneWayNanos;
        inFlight.addLast(p);
    }

    /** Moves the page's clock to {@code nowNanos}: what reached it arrives; feedback is sent when due. */
    void advance(long nowNanos) {
        if (shaper != null) {
            shaper.advance(nowNanos, this::departed);
        }
        while (!inFlight.isEmpty() && inFlight.peekFirst().dueNanos <= nowNanos) {
            Packet p = inFlight.pollFirst();
            p.arrivedNanos = p.dueNanos;
            if (p.transportSeq >= 0) {
                feedback.onArrival(p.transportSeq, p.arrivedNanos / 1000 + CLOCK_OFFSET_US);
            }
            if (p.ssrc >= 0) {
                lastMediaSsrc = p.ssrc;
            }
        }
        if (nowNanos >= nextFeedbackNanos) {
            nextFeedbackNanos += FEEDBACK_INTERVAL_MS * 1_000_000;
            for (byte[] rtcp : feedback.takeFeedback(lastMediaSsrc)) {
                byte[] b = Arrays.copyOf(rtcp, rtcp.length + 64);
                int n = client.subscribeOut.protectRtcp(b, 0, rtcp.length);
                returnPath.addLast(new Pending(nowNanos + oneWayNanos, Arrays.copyOf(b, n)));
            }
        }
    }

    /** Hands the forwarder the page's feedback that reached it by {@code nowNanos}. */
    void deliverReturn(long nowNanos) {
        while (!returnPath.isEmpty() && returnPath.peekFirst().atNanos() <= nowNanos) {
            h.deliverAt(client.subscribeAddress, returnPath.pollFirst().datagram(), nowNanos);
        }
    }

    /** The downlink's capacity from {@code nowNanos} on (a shaped page only). */
    void setCapacity(long bps, long nowNanos) {
        shaper.setRate(bps, nowNanos, this::departed);
    }

    /** The RTP packets of one SSRC the forwarder sent, in sending order. */
    List<Packet> sent(long ssrc) {
        return sent.stream().filter(p -> p.ssrc == ssrc).toList();
    }

    /** When the first packet of {@code ssrc} sent at or after {@code fromNanos} that is of a layer in range arrived. */
    long firstArrivalOfLayer(long ssrc, long fromNanos, int minLayer, int maxLayer) {
        long best = -1;
        for (Packet p : sent) {
            if (p.ssrc == ssrc && p.arrived() && p.arrivedNanos >= fromNanos && p.layer >= minLayer
                    && p.layer <= maxLayer && (best < 0 || p.arrivedNanos < best)) {
                best = p.arrivedNanos;
            }
        }
        return best;
    }

    TokenBucketShaper<Packet> shaper() {
        return shaper;
    }

    /** Packets the page's SRTP session refused (a replay or a bad tag): a browser would drop them too. */
    long refused() {
        return refused;
    }

    /** Bytes the forwarder sent this page (IP and UDP included). */
    long bytesSent() {
        return bytesSent;
    }
}
