package dev.rendezvous.recorder.composite;

import java.util.HashMap;
import java.util.Map;

/**
 * Who is speaking at each moment of the composite, from the cells' own audio: the cell whose voice had the most
 * energy over the last second ({@link #WINDOW_SEC}), when that is above a floor of about −40 dBFS RMS, so that
 * breathing and room noise do not count. Once someone is the speaker, nobody else (and no silence) takes over before
 * {@link #HOLD_SEC} have passed (no flicker when two talk over each other); with nobody highlighted, the first voice
 * above the floor is at once; a speaker who leaves the composite stops being one at once. Audio is counted in 100-ms
 * buckets of composite time, as it arrives (a little ahead of the frame being drawn: only buckets before the frame
 * count).
 */
final class SpeakerTracker {

    static final double WINDOW_SEC = 1.0;
    static final double HOLD_SEC = 1.5;
    /** Mean square of a −40 dBFS signal (RMS 0.01). */
    static final double FLOOR = 1e-4;

    private static final int BUCKETS_PER_SEC = 10;
    private static final int BUCKET_SAMPLES = AudioMix.RATE / BUCKETS_PER_SEC;
    private static final int WINDOW_BUCKETS = (int) Math.round(WINDOW_SEC * BUCKETS_PER_SEC);
    /** Buckets kept per cell: the window, and some room for audio that arrives ahead. */
    private static final int RING = 64;

    /** Per cell: the sum of squares of each bucket in a ring, and which bucket each slot holds. */
    private final Map<Integer, double[]> energy = new HashMap<>();
    private final Map<Integer, long[]> slotOf = new HashMap<>();
    private int speaker = -1;
    /** When {@link #speaker} last changed. */
    private double changedAt = Double.NEGATIVE_INFINITY;

    /** {@code n} samples of cell {@code cell}'s audio that belong at timeline sample {@code position}. */
    void add(int cell, long position, float[] samples, int n) {
        double[] e = energy.computeIfAbsent(cell, c -> new double[RING]);
        long[] slots = slotOf.computeIfAbsent(cell, c -> {
            long[] s = new long[RING];
            java.util.Arrays.fill(s, -1);
            return s;
        });
        for (int i = (int) Math.max(0, Math.min(n, -position)); i < n; i++) {   // nothing before time 0
            long bucket = (position + i) / BUCKET_SAMPLES;
            int slot = (int) (bucket % RING);
            if (slots[slot] != bucket) {
                slots[slot] = bucket;
                e[slot] = 0;
            }
            e[slot] += (double) samples[i] * samples[i];
        }
    }

    /** The speaking cell at composite time {@code timeSec} among {@code present}, or -1 for nobody. */
    int speakerAt(double timeSec, Iterable<Integer> present) {
        long end = (long) Math.floor(timeSec * BUCKETS_PER_SEC);   // only buckets before the frame's own count
        int loudest = -1;
        double most = FLOOR * WINDOW_BUCKETS * BUCKET_SAMPLES;
        boolean speakerPresent = false;
        for (int cell : present) {
            speakerPresent |= cell == speaker;
            double sum = windowSum(cell, end);
            if (sum > most) {
                most = sum;
                loudest = cell;
            }
        }
        if (!speakerPresent) {
            speaker = -1;   // gone from the composite
        }
        if (loudest != speaker && (speaker == -1 || timeSec - changedAt >= HOLD_SEC)) {
            speaker = loudest;
            changedAt = timeSec;
        }
        return speaker;
    }

    private double windowSum(int cell, long end) {
        double[] e = energy.get(cell);
        long[] slots = slotOf.get(cell);
        if (e == null) {
            return 0;
        }
        double sum = 0;
        for (long b = end - WINDOW_BUCKETS; b < end; b++) {
            if (b >= 0) {
                int slot = (int) (b % RING);
                if (slots[slot] == b) {
                    sum += e[slot];
                }
            }
        }
        return sum;
    }
}
