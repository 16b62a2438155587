package dev.rendezvous.webrtc;

import dev.rendezvous.forwarder.media.TrackSpec;
import dev.rendezvous.forwarder.media.rtp.PacketCache;
import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.rtp.Rtx;
import dev.rendezvous.webrtc.media.AudioSender;
import dev.rendezvous.webrtc.media.OutboundStream;
import dev.rendezvous.webrtc.media.VideoSender;
import dev.rendezvous.webrtc.sdp.LocalTrack;
import dev.rendezvous.webrtc.sdp.RemoteDescription;
import dev.rendezvous.webrtc.sdp.SdpWriter;
import dev.rendezvous.webrtc.signaling.Signaling;
import dev.rendezvous.webrtc.stats.SendStats;
import dev.rendezvous.webrtc.transport.PeerConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The publish PeerConnection of one client: offers our sendonly tracks, connects on the answer, then paces
 * audio and video on the shared scheduler, sends a sender report per track every second, and reacts to the
 * forwarder's feedback (PLI/FIR → a keyframe next; REMB is counted; NACKed video packets are resent from a
 * history of the last {@value #HISTORY_PACKETS}, RTX-wrapped on the track's RTX SSRC as a browser does). A new
 * session (new connection) has new SSRCs and starts with a keyframe, as a browser's new PeerConnection does.
 */
final class PublishSession implements PeerConnection.Handler {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Video packets kept for retransmission (a few seconds at the client's usual rates). */
    static final int HISTORY_PACKETS = 1024;

    private final ClientConfig config;
    private final ScheduledExecutorService scheduler;
    private final PeerConnection pc;
    private final List<LocalTrack> tracks = new ArrayList<>();
    private final AudioSender audio;
    private final VideoSender video;
    private final List<ScheduledFuture<?>> tasks = new CopyOnWriteArrayList<>();
    private final byte[] rtcpOut = new byte[1500];
    private final byte[] cname;
    private final Rtcp.Cursor cursor = new Rtcp.Cursor();
    private final LongAdder plis = new LongAdder();
    private final LongAdder firs = new LongAdder();
    private final LongAdder nacks = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong outgoing = new java.util.concurrent.atomic.AtomicLong();
    private volatile long rembBps;
    /** The video track's RTX SSRC, sent video packets by sequence number, and the RTX stream's next number. */
    private final long videoRtxSsrc = ssrc();
    private final PacketCache history;
    private final byte[] resend = new byte[1600];
    private int rtxSeq = RANDOM.nextInt(0x10000);
    private volatile boolean audioMuted;
    private volatile boolean videoMuted;
    private volatile boolean closed;

    PublishSession(ClientConfig config, PeerConnection pc, ScheduledExecutorService scheduler) {
        this.config = config;
        this.pc = pc;
        this.scheduler = scheduler;
        String stream = config.socketId();
        this.cname = stream.getBytes(StandardCharsets.UTF_8);
        if (config.audio()) {
            OutboundStream s = new OutboundStream(ssrc(), 48_000);
            tracks.add(new LocalTrack(String.valueOf(tracks.size()), "audio", "microphone", s.ssrc(), stream,
                    stream + "-microphone"));
            audio = new AudioSender(s, SdpWriter.AUDIO_LEVEL_ID, config.senderId(), config.audioLevel(), this::sendRtp);
        } else {
            audio = null;
        }
        if (config.video()) {
            OutboundStream s = new OutboundStream(ssrc(), 90_000);
            tracks.add(new LocalTrack(String.valueOf(tracks.size()), "video", "camera", s.ssrc(), stream,
                    stream + "-camera", videoRtxSsrc));
            video = new VideoSender(s, config.senderId(), config.videoBitrateBps(), config.fps(),
                    config.keyframeIntervalMs(), this::sendRtp);
        } else {
            video = null;
        }
        history = video == null ? null : new PacketCache(HISTORY_PACKETS, 1500);
    }

    /**
     * Sends one of our RTP packets; with {@code dropOutgoingEvery} every n-th is lost on the way (counted as sent,
     * never sent: the forwarder sees the gap in the sequence numbers, as with a lossy uplink).
     */
    private boolean sendRtp(byte[] b, int len) {
        if (history != null && len >= 12 && Rtp.ssrc(b, 0) == video.stream().ssrc()) {
            synchronized (history) {
                history.put(Rtp.sequence(b, 0), b, 0, len); // before encryption, which works in place
            }
        }
        int every = config.dropOutgoingEvery();
        if (every > 0 && outgoing.incrementAndGet() % every == 0) {
            return pc.connected();
        }
        return pc.sendRtp(b, len);
    }

    private static long ssrc() {
        return (RANDOM.nextInt() & 0xFFFFFFFFL) | 1;
    }

    /** Sends the offer through {@code signaling}; connects when the answer comes. */
    void start(Signaling signaling) {
        String offer = SdpWriter.publishOffer(pc.local(), tracks, Math.abs(RANDOM.nextLong() >>> 2), 2);
        signaling.publish(offer, specs(), answer -> pc.connect(RemoteDescription.parse(answer)));
    }

    /** The tracks as the forwarder wants them described beside the SDP, with their mute state. */
    List<TrackSpec> specs() {
        List<TrackSpec> specs = new ArrayList<>();
        for (LocalTrack t : tracks) {
            specs.add(new TrackSpec(t.mid(), t.kind(), t.source(), t.audio() ? audioMuted : videoMuted));
        }
        return specs;
    }

    void muted(String kind, boolean muted) {
        if (kind.equals("audio")) {
            audioMuted = muted;
        } else {
            videoMuted = muted;
        }
    }

    void audioLevel(int level) {
        if (audio != null) {
            audio.level(level);
        }
    }

    @Override
    public synchronized void onConnected() {
        if (closed) {
            return;
        }
        if (audio != null) {
            tasks.add(scheduler.scheduleAtFixedRate(() -> safely(() -> audio.tick(System.nanoTime())), 0,
                    AudioSender.PACKET_MILLIS, TimeUnit.MILLISECONDS));
        }
        if (video != null) {
            long frameMicros = 1_000_000L / Math.max(1, config.fps());
            tasks.add(scheduler.scheduleAtFixedRate(() -> safely(() -> video.tick(System.nanoTime())), 0,
                    frameMicros, TimeUnit.MICROSECONDS));
        }
        tasks.add(scheduler.scheduleAtFixedRate(() -> safely(this::sendReports), 500, 1000, TimeUnit.MILLISECONDS));
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(PublishSession.class).warn("publish task failed", e);
        }
    }

    /** One compound packet per track: SR + SDES CNAME (RFC 3550 compound rule). */
    private void sendReports() {
        long now = System.nanoTime();
        for (OutboundStream s : streams()) {
            int n = s.writeSenderReport(rtcpOut, 0, now);
            n += RtcpWriter.writeSdesCname(rtcpOut, n, s.ssrc(), cname);
            pc.sendRtcp(rtcpOut, n);
        }
    }

    private List<OutboundStream> streams() {
        List<OutboundStream> s = new ArrayList<>(2);
        if (audio != null) {
            s.add(audio.stream());
        }
        if (video != null) {
            s.add(video.stream());
        }
        return s;
    }

    @Override
    public void onRtp(byte[] b, int len, long nowNanos) {
        // the forwarder sends no media on a publish connection
    }

    @Override
    public void onRtcp(byte[] b, int len, long nowNanos) {
        if (!cursor.reset(b, 0, len)) {
            return;
        }
        do {
            int type = cursor.type();
            int fmt = cursor.fmt();
            if (Rtcp.isPli(type, fmt)) {
                plis.increment();
                keyframeFor(cursor.mediaSsrc());
            } else if (Rtcp.isFir(type, fmt)) {
                firs.increment();
                for (int i = 0; i < cursor.firCount(); i++) {
                    keyframeFor(cursor.firSsrc(i));
                }
            } else if (Rtcp.isNack(type, fmt)) {
                boolean ours = video != null && cursor.mediaSsrc() == video.stream().ssrc();
                for (int i = 0; i < cursor.nackCount(); i++) {
                    nacks.add(1 + Integer.bitCount(cursor.nackBlp(i)));
                    if (ours) {
                        int pid = cursor.nackPid(i);
                        int blp = cursor.nackBlp(i);
                        retransmit(pid);
                        for (int bit = 0; bit < 16; bit++) {
                            if ((blp & (1 << bit)) != 0) {
                                retransmit((pid + bit + 1) & 0xFFFF);
                            }
                        }
                    }
                }
            } else if (Rtcp.isRemb(cursor)) {
                rembBps = cursor.rembBitrate();
            }
        } while (cursor.next());
    }

    /** Resends a video packet still in the history, RTX-wrapped (RFC 4588) on the track's RTX SSRC. */
    private void retransmit(int seq) {
        synchronized (history) {
            int n = history.get(seq, resend, 0);
            n = n < 0 ? -1 : Rtx.wrap(resend, 0, n, SdpWriter.RTX_PT, videoRtxSsrc, rtxSeq);
            if (n > 0) {
                rtxSeq = (rtxSeq + 1) & 0xFFFF;
                pc.sendRtp(resend, n);
            }
        }
    }

    private void keyframeFor(long ssrc) {
        if (video != null && video.stream().ssrc() == ssrc) {
            video.requestKeyframe();
        }
    }

    @Override
    public void onFailed(String reason) {
    }

    boolean connected() {
        return pc.connected();
    }

    SendStats stats() {
        return new SendStats(audio == null ? 0 : audio.stream().packets(), video == null ? 0 : video.stream().packets(),
                (audio == null ? 0 : audio.stream().octets()) + (video == null ? 0 : video.stream().octets()),
                video == null ? 0 : video.keyframesSent(), plis.sum(), firs.sum(), nacks.sum(), rembBps);
    }

    synchronized void close() {
        closed = true;
        tasks.forEach(t -> t.cancel(false));
        pc.close();
    }
}
