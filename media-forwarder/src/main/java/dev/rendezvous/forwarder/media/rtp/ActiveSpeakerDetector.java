package dev.rendezvous.forwarder.media.rtp;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the dominant speaker of a room from the RFC 6464 audio levels (0 loudest .. 127 silent) that
 * publishers put in their audio packets, so that clients can highlight the speaker and the forwarder can favour
 * their video, without decoding any audio.
 *
 * <p>Each packet contributes a loudness score: {@code 127 - level} when the level is louder than a noise
 * threshold (-{@value #VAD_THRESHOLD} dBov when the packet's voice-activity flag is set, -{@value #NOISE_THRESHOLD}
 * dBov otherwise), else 0. Scores are summed over a sliding window of {@value #BUCKETS} time buckets, so a
 * participant who talks continuously outweighs one who coughs (the voice-activity threshold is low because the
 * browser's own voice detector already decided it is speech: Chromium's automatic gain control leaves quiet
 * speakers, and its fake test microphone, at -60 to -90 dBov), and one who stops (or whose client stops sending
 * under DTX) fades out within the window. Hysteresis: the dominant speaker stays until another participant's
 * windowed score has been at least {@value #MARGIN_PERCENT}% higher for {@code minHold}, or until the dominant
 * speaker is silent for a whole window; when nobody spoke in the window the result is null.
 *
 * <p>Thread-safe: {@link #onLevel} runs on packet threads (a map look-up and a short per-participant lock, no
 * allocation after a participant's first packet), {@link #decide} and {@link #remove} on other threads.
 */
public final class ActiveSpeakerDetector {

    static final int BUCKETS = 10;
    static final int VAD_THRESHOLD = 100;
    static final int NOISE_THRESHOLD = 60;
    static final int MARGIN_PERCENT = 50;

    private final long bucketNanos;
    private final long minHoldNanos;
    private final ConcurrentHashMap<String, Level> levels = new ConcurrentHashMap<>();

    private final Object decideLock = new Object();
    private String dominant;
    private String challenger;
    private long challengerSince;

    public ActiveSpeakerDetector(Duration window, Duration minHold) {
        long w = window.toNanos();
        if (w < BUCKETS || minHold.isNegative()) {
            throw new IllegalArgumentException("window must be positive and minHold not negative");
        }
        this.bucketNanos = w / BUCKETS;
        this.minHoldNanos = minHold.toNanos();
    }

    /** Records the audio level of one packet of this participant. */
    public void onLevel(String participantKey, int level, boolean vad, long nowNanos) {
        int threshold = vad ? VAD_THRESHOLD : NOISE_THRESHOLD;
        int clamped = Math.max(0, Math.min(127, level));
        int score = clamped < threshold ? 127 - clamped : 0;
        Level l = levels.get(participantKey);
        if (l == null) {
            l = levels.computeIfAbsent(participantKey, k -> new Level());
        }
        l.add(Math.floorDiv(nowNanos, bucketNanos), score);
    }

    /** Forgets a participant (left the room or stopped publishing audio). */
    public void remove(String participantKey) {
        levels.remove(participantKey);
    }

    /**
     * The current dominant speaker, or null when nobody spoke in the window. Returns the same key until another
     * participant is clearly louder for minHold (or the current one went silent for the window).
     */
    public String decide(long nowNanos) {
        long bucket = Math.floorDiv(nowNanos, bucketNanos);
        synchronized (decideLock) {
            String best = null;
            long bestScore = 0;
            long dominantScore = 0;
            for (Map.Entry<String, Level> e : levels.entrySet()) {
                String key = e.getKey();
                long s = e.getValue().total(bucket);
                boolean isDominant = key.equals(dominant);
                if (isDominant) {
                    dominantScore = s;
                }
                if (s > bestScore || (s == bestScore && s > 0 && isDominant)) {
                    best = key;
                    bestScore = s;
                }
            }
            if (best == null) {
                dominant = null;
                challenger = null;
                return null;
            }
            if (dominant == null || dominantScore == 0) {
                dominant = best;
                challenger = null;
                return dominant;
            }
            if (best.equals(dominant)) {
                challenger = null;
                return dominant;
            }
            if (bestScore * 100 >= dominantScore * (100 + MARGIN_PERCENT)) {
                if (!best.equals(challenger)) {
                    challenger = best;
                    challengerSince = nowNanos;
                }
                if (nowNanos - challengerSince >= minHoldNanos) {
                    dominant = best;
                    challenger = null;
                }
            } else {
                challenger = null;
            }
            return dominant;
        }
    }

    /** Windowed loudness of one participant: BUCKETS time buckets, each the sum of the scores that fell in it. */
    private static final class Level {
        private final long[] bucketIds = new long[BUCKETS];
        private final long[] sums = new long[BUCKETS];

        Level() {
            Arrays.fill(bucketIds, Long.MIN_VALUE);
        }

        synchronized void add(long bucket, int score) {
            int slot = (int) Math.floorMod(bucket, (long) BUCKETS);
            if (bucketIds[slot] != bucket) {
                bucketIds[slot] = bucket;
                sums[slot] = 0;
            }
            sums[slot] += score;
        }

        synchronized long total(long currentBucket) {
            long total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                long id = bucketIds[i];
                if (id <= currentBucket && id > currentBucket - BUCKETS) {
                    total += sums[i];
                }
            }
            return total;
        }
    }
}
