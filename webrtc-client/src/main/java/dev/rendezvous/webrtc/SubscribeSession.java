package dev.rendezvous.webrtc;

import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import dev.rendezvous.forwarder.media.rtp.Bytes;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import dev.rendezvous.webrtc.sdp.RemoteDescription;
import dev.rendezvous.webrtc.sdp.SdpWriter;
import dev.rendezvous.webrtc.signaling.Signaling;
import dev.rendezvous.webrtc.stats.DelaySink;
import dev.rendezvous.webrtc.stats.RemoteStream;
import dev.rendezvous.webrtc.stats.TrackStats;
import dev.rendezvous.webrtc.transport.PeerConnection;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The subscribe PeerConnection of one client: answers each offer of the forwarder (recvonly for active
 * sections, inactive for removed ones), connects on the first, and keeps the receive side's books per remote
 * SSRC — statistics, NACKs for gaps (checked every 20 ms), a receiver report every second. Retransmissions come
 * on the media SSRC or, where the offer pairs one in {@code a=ssrc-group:FID} (our answer keeps its rtx
 * codecs), RTX-wrapped (RFC 4588) on the track's RTX SSRC.
 */
final class SubscribeSession implements PeerConnection.Handler {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long NACK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(60);

    private final ClientConfig config;
    private final PeerConnection pc;
    private final ScheduledExecutorService scheduler;
    private final long startNanos;
    private final DelaySink delaySink;
    private final long localSsrc = (RANDOM.nextInt() & 0xFFFFFFFFL) | 1;
    private final long sessionId = Math.abs(RANDOM.nextLong() >>> 2);
    private final Map<Long, RemoteStream> bySsrc = new ConcurrentHashMap<>();
    /** RTX SSRC ({@code a=ssrc-group:FID media rtx}) → the stream its retransmissions repair. */
    private final Map<Long, RemoteStream> byRtxSsrc = new ConcurrentHashMap<>();
    private final List<ScheduledFuture<?>> tasks = new CopyOnWriteArrayList<>();
    private final Rtcp.Cursor cursor = new Rtcp.Cursor();
    private final byte[] rtcpOut = new byte[1500];
    private static final long KEYFRAME_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long PLI_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final byte[] pliOut = new byte[64];
    private final java.util.Map<Long, Long> lastPli = new java.util.concurrent.ConcurrentHashMap<>();
    private final byte[] nackOut = new byte[1500];
    private final int[] nackSeqs = new int[64];
    private long version = 1;
    private int newVideoPackets;
    private volatile boolean closed;

    SubscribeSession(ClientConfig config, PeerConnection pc, ScheduledExecutorService scheduler, long startNanos,
                     DelaySink delaySink) {
        this.config = config;
        this.delaySink = delaySink;
        this.pc = pc;
        this.scheduler = scheduler;
        this.startNanos = startNanos;
        if (config.dropIncomingVideoEvery() > 0) {
            pc.filter(this::dropForTest);
        }
    }

    /** A subscribe offer: update the books, answer, and connect on the first one. Signaling thread. */
    synchronized void onOffer(String sdp, List<RemoteTrack> tracks, Signaling signaling) {
        if (closed) {
            return;
        }
        RemoteDescription remote = RemoteDescription.parse(sdp);
        Map<String, RemoteTrack> byMid = new HashMap<>();
        tracks.forEach(t -> byMid.put(t.mid(), t));
        for (Media m : remote.description().media()) {
            long ssrc = m.primarySsrc();
            boolean active = !m.rejected() && m.direction().sends();
            RemoteTrack t = byMid.get(m.mid());
            if (ssrc >= 0 && t != null && !m.codecs().isEmpty()) {
                RemoteStream s = bySsrc.computeIfAbsent(ssrc, k -> new RemoteStream(k, m.codecs().get(0).clockRate(),
                        m.codecs().get(0).name(), startNanos, NACK_RETRY_NANOS, delaySink));
                s.describe(m.mid(), t.socketId(), t.participantId(), t.kind().sdpName(), t.source().wireName(), active);
                for (long[] fid : m.fidGroups()) {
                    if (fid[0] == ssrc) {
                        byRtxSsrc.put(fid[1], s); // our answer keeps the offered rtx codecs: RFC 4588 retransmissions
                    }
                }
            } else if (!active) {
                // an inactive section carries no a=ssrc: find the stream by mid
                for (RemoteStream s : bySsrc.values()) {
                    TrackStats st = s.snapshot();
                    if (m.mid().equals(st.mid())) {
                        s.describe(st.mid(), st.socketId(), st.participantId(), st.kind(), st.source(), false);
                    }
                }
            }
        }
        signaling.subscribeAnswer(SdpWriter.subscribeAnswer(remote.description(), pc.local(), sessionId, ++version));
        if (remote.hasTransport()) {
            pc.connect(remote);
        }
    }

    private boolean dropForTest(byte[] b, int len) {
        if (len < 12 || Rtp.payloadType(b, 0) != 96) {
            return false;
        }
        RemoteStream s = bySsrc.get(Rtp.ssrc(b, 0));
        if (s == null || s.isRetransmissionCandidate(Rtp.sequence(b, 0))) {
            return false;
        }
        return ++newVideoPackets % config.dropIncomingVideoEvery() == 0;
    }

    @Override
    public synchronized void onConnected() {
        if (closed) {
            return;
        }
        tasks.add(scheduler.scheduleAtFixedRate(this::sendNacks, 20, 20, TimeUnit.MILLISECONDS));
        tasks.add(scheduler.scheduleAtFixedRate(this::sendReceiverReport, 1000, 1000, TimeUnit.MILLISECONDS));
        tasks.add(scheduler.scheduleAtFixedRate(this::askForMissingKeyframes, 250, 250, TimeUnit.MILLISECONDS));
    }

    /**
     * A video stream that has sent packets for half a second without a keyframe gets a PLI, at most one a second:
     * what a browser's receiver does when it cannot decode, so a keyframe lost before the stream was known (or in
     * transit) does not leave the track black until the publisher's next periodic one.
     */
    private void askForMissingKeyframes() {
        try {
            long now = System.nanoTime();
            for (RemoteStream s : bySsrc.values()) {
                Long last = lastPli.get(s.ssrc());
                if (s.waitsForKeyframe(now, KEYFRAME_WAIT_NANOS) && (last == null || now - last >= PLI_INTERVAL_NANOS)) {
                    lastPli.put(s.ssrc(), now);
                    int len = RtcpWriter.writePli(pliOut, 0, localSsrc, s.ssrc());
                    pc.sendRtcp(pliOut, len);
                }
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(SubscribeSession.class).warn("keyframe request task failed", e);
        }
    }

    @Override
    public void onRtp(byte[] b, int len, long nowNanos) {
        if (!Rtp.isValid(b, 0, len)) {
            return;
        }
        int header = Rtp.headerLength(b, 0, len);
        int end = len - Rtp.paddingLength(b, 0, len);
        RemoteStream s = bySsrc.get(Rtp.ssrc(b, 0));
        if (s != null) {
            s.onPacket(Rtp.sequence(b, 0), Rtp.timestamp(b, 0), b, header, end, nowNanos);
            return;
        }
        RemoteStream repaired = byRtxSsrc.get(Rtp.ssrc(b, 0));
        if (repaired != null && end - header >= 2) {
            // RTX: the original sequence number, then the original payload (padding-only packets carry nothing)
            repaired.onPacket(Bytes.u16(b, header), Rtp.timestamp(b, 0), b, header + 2, end, nowNanos);
        }
    }

    @Override
    public void onRtcp(byte[] b, int len, long nowNanos) {
        if (!cursor.reset(b, 0, len)) {
            return;
        }
        do {
            if (cursor.type() == Rtcp.SR) {
                RemoteStream s = bySsrc.get(cursor.senderSsrc());
                if (s != null) {
                    s.onSenderReport(cursor.srNtp(), nowNanos);
                }
            }
        } while (cursor.next());
    }

    private void sendNacks() {
        try {
            long now = System.nanoTime();
            for (RemoteStream s : bySsrc.values()) {
                int n = s.nackDue(now, nackSeqs);
                if (n > 0) {
                    int len = RtcpWriter.writeNack(nackOut, 0, localSsrc, s.ssrc(), nackSeqs, n);
                    pc.sendRtcp(nackOut, len);
                }
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(SubscribeSession.class).warn("NACK task failed", e);
        }
    }

    private void sendReceiverReport() {
        try {
            long now = System.nanoTime();
            int off = 8;
            int blocks = 0;
            for (RemoteStream s : bySsrc.values()) {
                if (blocks == 31) {
                    break;
                }
                int n = s.writeReportBlock(rtcpOut, off, now);
                if (n > 0) {
                    off += n;
                    blocks++;
                }
            }
            RtcpWriter.writeReceiverReport(rtcpOut, 0, localSsrc, blocks);
            pc.sendRtcp(rtcpOut, off);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(SubscribeSession.class).warn("report task failed", e);
        }
    }

    @Override
    public void onFailed(String reason) {
    }

    boolean connected() {
        return pc.connected();
    }

    List<TrackStats> stats() {
        List<TrackStats> out = new ArrayList<>();
        bySsrc.values().forEach(s -> out.add(s.snapshot()));
        out.sort(java.util.Comparator.comparing(TrackStats::mid,
                java.util.Comparator.comparingInt(String::length).thenComparing(java.util.Comparator.naturalOrder())));
        return out;
    }

    void close() {
        synchronized (this) {
            closed = true;
        }
        tasks.forEach(t -> t.cancel(false));
        pc.close();
    }
}
