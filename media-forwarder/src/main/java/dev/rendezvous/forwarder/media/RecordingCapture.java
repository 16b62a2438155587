package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording taps: while a room records, the packet thread copies each forwarded packet (decrypted, in producer
 * space) into the recording's {@link CaptureRing} — no allocation, no waiting; the recording thread drains the
 * rings every {@value #DRAIN_MILLIS} ms, groups the packets per track and hands out a {@link CapturedChunk} per
 * track at least every {@value #CHUNK_MILLIS} ms (and when one grows past {@value #CHUNK_BYTES} bytes). Stopping
 * drains what is left and ends every track with a {@code last} chunk, then — when the recording really ended
 * (stopped, or its room closed), not when this process shuts down and the room may go on elsewhere — hands out
 * the end marker ({@link CapturedChunk#end}), after those last chunks so that it follows them on the partition.
 * A recording starts with a keyframe request to every video publisher of the room, so the files can begin soon.
 */
final class RecordingCapture implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordingCapture.class);
    static final int DRAIN_MILLIS = 100;
    static final int CHUNK_MILLIS = 500;
    static final int CHUNK_BYTES = 256 * 1024;
    private static final int RING_BYTES = 8 * 1024 * 1024;

    /** A room's recording as the packet thread sees it. */
    static final class Tap {
        final String recordingId;
        final String meetingId;
        final CaptureRing ring = new CaptureRing(RING_BYTES);
        final long epochMicrosAtStart;
        final long nanosAtStart;
        volatile boolean stopping;
        /** Set before {@link #stopping}: the recording ended here for good, the end marker follows the tracks. */
        volatile boolean ended;
        /** Recording thread: the tracks seen, with their chunk being built. */
        final Map<Long, TrackChunks> tracks = new LinkedHashMap<>();
        /** What each of the room's tracks is, kept by the control side (a track outlives its peer's departure). */
        final Map<Long, TrackInfo> infos = new ConcurrentHashMap<>();
        Router router;

        Tap(String recordingId, String meetingId, long epochMicros, long nanos) {
            this.recordingId = recordingId;
            this.meetingId = meetingId;
            this.epochMicrosAtStart = epochMicros;
            this.nanosAtStart = nanos;
        }

        /** Packet thread. */
        void capture(Producer p, byte[] b, int off, int len, long now) {
            ring.offer(p.id, now, b, off, len);
        }
    }

    /** What a recorded track is. */
    record TrackInfo(String participantId, TrackSource source, TrackKind kind, int clockRate,
                     Map<Integer, String> codecs) {
        static final TrackInfo UNKNOWN = new TrackInfo("", null, null, 0, Map.of());
    }

    /** One track's chunk in the making (recording thread). */
    private static final class TrackChunks {
        final long trackId;
        TrackInfo info = TrackInfo.UNKNOWN;
        long sequence;
        long firstNanos = -1;
        int bytes;
        final List<byte[]> packets = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();

        TrackChunks(long trackId) {
            this.trackId = trackId;
        }
    }

    private final Map<String, Tap> byMeeting = new ConcurrentHashMap<>();
    private volatile Consumer<CapturedChunk> sink = c -> { };
    private final LongSupplier nanos;
    private final LongSupplier epochMicros;
    private final KeyframeService keyframes;
    private final ScheduledExecutorService thread;

    RecordingCapture(KeyframeService keyframes, LongSupplier nanos, LongSupplier epochMicros, boolean ownThread) {
        this.keyframes = keyframes;
        this.nanos = nanos;
        this.epochMicros = epochMicros;
        this.thread = ownThread ? Executors.newSingleThreadScheduledExecutor(DtlsHandshakes.daemon("media-recording")) : null;
        if (thread != null) {
            thread.scheduleWithFixedDelay(this::drainSafely, DRAIN_MILLIS, DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    void sink(Consumer<CapturedChunk> sink) {
        this.sink = sink;
    }

    /** Starts recording {@code router}'s room as {@code recordingId}; false if it already records. */
    boolean start(Router router, String recordingId) {
        Tap tap = new Tap(recordingId, router.meetingId, epochMicros.getAsLong(), nanos.getAsLong());
        if (byMeeting.putIfAbsent(router.meetingId, tap) != null) {
            return false;
        }
        attach(router);
        describe(router);
        long now = nanos.getAsLong();
        for (Peer peer : router.peers) {
            for (Producer p : peer.producers) {
                keyframes.request(p, now);
            }
        }
        log.info("recording {} of meeting {} started", recordingId, router.meetingId);
        return true;
    }

    /** Points a (new) router of a recorded meeting at its tap. */
    void attach(Router router) {
        Tap tap = byMeeting.get(router.meetingId);
        if (tap != null) {
            synchronized (tap) {
                tap.router = router;
            }
            router.recording = tap;
        }
    }

    /**
     * Stops the meeting's recording (if it is {@code recordingId}, or any when null): the rest is drained, every
     * track ends with a last chunk and the end marker follows.
     */
    boolean stop(String meetingId, String recordingId) {
        return stop(meetingId, recordingId, true);
    }

    /**
     * Stops every recording of this process without the end marker: the process shuts down, the rooms may go
     * on on another forwarder (the recorder finishes a recording that stays silent on its own).
     */
    void interruptAll() {
        for (Tap tap : byMeeting.values()) {
            stop(tap.meetingId, null, false);
        }
    }

    private boolean stop(String meetingId, String recordingId, boolean end) {
        Tap tap = byMeeting.get(meetingId);
        if (tap == null || (recordingId != null && !recordingId.equals(tap.recordingId))) {
            return false;
        }
        Router r = tap.router;
        if (r != null && r.recording == tap) {
            r.recording = null;
        }
        if (!tap.stopping) {
            tap.ended = end;
            tap.stopping = true;
        }
        log.info("recording {} of meeting {} stopping", tap.recordingId, meetingId);
        return true;
    }

    /** The recording the meeting has on this forwarder, or null. */
    String recordingOf(String meetingId) {
        Tap tap = byMeeting.get(meetingId);
        return tap == null || tap.stopping ? null : tap.recordingId;
    }

    /** Packets the packet thread could not copy, over every active recording. */
    long droppedPackets() {
        return byMeeting.values().stream().mapToLong(t -> t.ring.dropped()).sum();
    }

    private void drainSafely() {
        try {
            drainNow();
        } catch (RuntimeException e) {
            log.warn("recording drain failed", e);
        }
    }

    /** One round of the recording thread (tests call it directly). */
    void drainNow() {
        long now = nanos.getAsLong();
        for (Tap tap : byMeeting.values()) {
            boolean stopping = tap.stopping; // read before draining: whatever came before stop is in the ring
            tap.ring.drain((trackId, arrival, b, off, len) -> add(tap, trackId, arrival, b, off, len));
            for (TrackChunks t : tap.tracks.values()) {
                if (stopping || (t.firstNanos >= 0 && now - t.firstNanos >= TimeUnit.MILLISECONDS.toNanos(CHUNK_MILLIS))) {
                    emit(tap, t, stopping);
                }
            }
            if (stopping) {
                if (tap.ended) {
                    hand(tap, CapturedChunk.end(tap.recordingId, tap.meetingId, epochMicros.getAsLong()));
                }
                byMeeting.remove(tap.meetingId, tap);
                log.info("recording {} of meeting {} stopped ({} tracks)", tap.recordingId, tap.meetingId, tap.tracks.size());
            }
        }
    }

    private void add(Tap tap, long trackId, long arrival, byte[] b, int off, int len) {
        TrackChunks t = tap.tracks.get(trackId);
        if (t == null) {
            t = new TrackChunks(trackId);
            TrackInfo info = tap.infos.get(trackId);
            if (info == null && tap.router != null) {
                describe(tap.router);
                info = tap.infos.get(trackId);
            }
            t.info = info == null ? TrackInfo.UNKNOWN : info;
            tap.tracks.put(trackId, t);
        }
        if (t.firstNanos < 0) {
            t.firstNanos = arrival;
        }
        t.offsets.add((int) Math.max(0, (arrival - t.firstNanos) / 1_000));
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        t.packets.add(copy);
        t.bytes += len;
        if (t.bytes >= CHUNK_BYTES) {
            emit(tap, t, false);
        }
    }

    private void emit(Tap tap, TrackChunks t, boolean last) {
        if (t.packets.isEmpty() && !last) {
            return;
        }
        long base = t.firstNanos < 0 ? 0 : tap.epochMicrosAtStart + (t.firstNanos - tap.nanosAtStart) / 1_000;
        int[] offsets = t.offsets.stream().mapToInt(Integer::intValue).toArray();
        TrackInfo i = t.info;
        CapturedChunk c = new CapturedChunk(tap.recordingId, tap.meetingId, t.trackId, i.participantId(), i.source(),
                i.kind(), i.clockRate(), i.codecs(), t.sequence++, last, base, offsets, t.packets);
        t.packets.clear();
        t.offsets.clear();
        t.bytes = 0;
        t.firstNanos = -1;
        hand(tap, c);
    }

    private void hand(Tap tap, CapturedChunk c) {
        try {
            sink.accept(c);
        } catch (RuntimeException e) {
            log.warn("recording {}: a chunk of track {} could not be handed on", tap.recordingId, c.trackId(), e);
        }
    }

    /**
     * Notes what each of a recorded room's tracks is (codecs included, which a publish may change). The control
     * side calls it when a recording starts and after every publish; the room's lock is taken.
     */
    void describe(Router router) {
        Tap tap = byMeeting.get(router.meetingId);
        if (tap == null) {
            return;
        }
        synchronized (router) {
            for (Peer peer : router.bySocket.values()) {
                for (Producer p : peer.producers) {
                    Map<Integer, String> codecs = new HashMap<>();
                    for (Codec c : p.codecs) {
                        codecs.put(c.payloadType(), c.name());
                    }
                    tap.infos.put(p.id, new TrackInfo(peer.participantId, p.source, p.kind, p.clockRate, codecs));
                }
            }
        }
    }

    @Override
    public void close() {
        interruptAll();
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drainNow();
    }
}
