package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forwarder's timed work, on one timer thread: every second a receiver report (and REMB: what it may send)
 * to each publisher, the ICE consent check of every transport, the subscribe answer deadline and each page's
 * simulcast layers (then the stats of the pages that asked for them); every 300 ms
 * the active speaker of each room. What a check decides to close goes back to the engine ({@link Actions}),
 * which owns the rooms' locks.
 */
final class MediaTimers implements AutoCloseable {

    /** What the timer asks of the engine. */
    interface Actions {
        /** No ICE check on {@code t} for longer than the consent timeout. */
        void consentExpired(Peer p, Transport t);

        /** Whether {@code p}'s outstanding subscribe offer has waited too long (and what to do about it). */
        void checkAnswerTimeout(Peer p, long now);

        /** A keyframe request for {@code t} that the rate limit dropped is sent now if allowed. */
        void settleOwedKeyframe(Producer t, long now);

        /** The room's layer rates are measured and its pages' layers decided ({@link LayerControl}). */
        void allocateLayers(Router router, long now);
    }

    private static final Logger log = LoggerFactory.getLogger(MediaTimers.class);

    private final Supplier<Collection<Router>> routers;
    private final Actions actions;
    private final MediaListener listener;
    private final PacketSender sender;
    private final long consentTimeoutNanos;
    private final long maxBitrateBps;
    private final LongSupplier nanos;
    private final byte[] reportOut = new byte[1500];
    private final ByteBuffer reportBuffer = ByteBuffer.wrap(reportOut);
    private ScheduledExecutorService timer;

    MediaTimers(Supplier<Collection<Router>> routers, Actions actions, MediaListener listener, PacketSender sender,
                long consentTimeoutNanos, long maxBitrateBps, LongSupplier nanos) {
        this.nanos = nanos;
        this.routers = routers;
        this.actions = actions;
        this.listener = listener;
        this.sender = sender;
        this.consentTimeoutNanos = consentTimeoutNanos;
        this.maxBitrateBps = maxBitrateBps;
    }

    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(DtlsHandshakes.daemon("media-timer"));
        timer.scheduleAtFixedRate(this::everySecond, 1, 1, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(this::decideSpeakers, 300, 300, TimeUnit.MILLISECONDS);
    }

    void everySecond() {
        try {
            long now = nanos.getAsLong();
            for (Router router : routers.get()) {
                for (Peer p : router.peers) {
                    Transport pc = p.publish;
                    if (pc != null && pc.ready() && p.producers.length > 0) {
                        sendReceiverReport(pc, p, now);
                    }
                    checkConsent(p, now);
                    actions.checkAnswerTimeout(p, now);
                    for (Producer t : p.producers) {
                        actions.settleOwedKeyframe(t, now);
                    }
                }
                actions.allocateLayers(router, now);
                reportPageStats(router, now);
            }
        } catch (RuntimeException e) {
            log.warn("media timer failed", e);
        }
    }

    /** Each page that asked for its stats (and still does) gets them, after this second's layer decisions. */
    private void reportPageStats(Router router, long now) {
        for (Peer p : router.peers) {
            long until = p.statsUntilNanos;
            if (until != 0 && now - until < 0) {
                listener.pageStats(router.meetingId, p.socketId, PageStats.of(p, LayerControl.downlinkOf(p)));
            }
        }
    }

    private void checkConsent(Peer p, long now) {
        Transport pc = p.publish;
        if (pc != null && !pc.closed && now - pc.lastStunNanos > consentTimeoutNanos) {
            actions.consentExpired(p, pc);
        }
        Transport sc = p.subscribe;
        if (sc != null && !sc.closed && sc.remoteUfrag != null && now - sc.lastStunNanos > consentTimeoutNanos) {
            actions.consentExpired(p, sc);
        }
    }

    /** RR for every track of a publisher, plus REMB for its video. */
    private void sendReceiverReport(Transport pc, Peer p, long now) {
        int off = 8;
        int blocks = 0;
        Producer[] producers = p.producers;
        long[] videoSsrcs = new long[31];
        int videos = 0;
        for (Producer t : producers) {
            for (Layer l : t.layers) {
                ReceiveStats st = l.stats;
                long ssrc = l.inboundSsrc;
                if (ssrc < 0 || st == null || st.packetsReceived() == 0 || blocks >= 31) {
                    continue;
                }
                off += RtcpWriter.writeReportBlock(reportOut, off, ssrc, st.fractionLostAndReset(),
                        (int) Math.min(st.cumulativeLost(), 0x7FFFFF), st.extendedHighestSeq(), st.jitterRtpUnits(),
                        st.lsr(), st.dlsr(now));
                blocks++;
                if (!t.audio()) {
                    videoSsrcs[videos++] = ssrc;
                }
            }
        }
        if (blocks == 0) {
            return;
        }
        RtcpWriter.writeReceiverReport(reportOut, 0, pc.localSsrc, blocks);
        if (videos > 0) {
            off += RtcpWriter.writeRemb(reportOut, off, pc.localSsrc, maxBitrateBps, videoSsrcs, videos);
        }
        int n = pc.srtpOut.protectRtcp(reportOut, 0, off);
        if (n > 0) {
            sender.send(reportBuffer, n, pc.remote);
        }
    }

    void decideSpeakers() {
        try {
            long now = nanos.getAsLong();
            for (Router router : routers.get()) {
                String speaker = router.speakers.decide(now);
                if (!Objects.equals(speaker, router.speaker)) {
                    router.speaker = speaker;
                    listener.activeSpeaker(router.meetingId, speaker);
                }
            }
        } catch (RuntimeException e) {
            log.warn("active speaker decision failed", e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
