package dev.rendezvous.recorder.composite;

import java.util.Arrays;

/**
 * The mixed audio being built: mono float samples at 48 kHz, summed from every input at their place on the
 * composite's timeline, taken out front to back in frames. Samples before what was already taken are dropped
 * (too late); the sum is clipped to [-1, 1] when taken.
 */
final class AudioMix {

    static final int RATE = 48_000;

    private float[] buffer = new float[RATE];
    /** The timeline position of {@code buffer[0]}: every sample before it was taken. */
    private long taken;

    /** Adds {@code n} samples that belong at timeline sample {@code position}. */
    void add(long position, float[] samples, int n) {
        int skip = (int) Math.max(0, Math.min(n, taken - position));
        if (skip >= n) {
            return;
        }
        long start = position + skip - taken;
        int needed = (int) (start + n - skip);
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
        }
        for (int i = skip; i < n; i++) {
            buffer[(int) (start + i - skip)] += samples[i];
        }
    }

    /** The next {@code n} samples (silence where nothing was added), clipped; they leave the mix. */
    float[] take(int n) {
        float[] out = new float[n];
        int have = Math.min(n, buffer.length);
        for (int i = 0; i < have; i++) {
            out[i] = Math.max(-1f, Math.min(1f, buffer[i]));
        }
        if (n >= buffer.length) {
            Arrays.fill(buffer, 0f);
        } else {
            System.arraycopy(buffer, n, buffer, 0, buffer.length - n);
            Arrays.fill(buffer, buffer.length - n, buffer.length, 0f);
        }
        taken += n;
        return out;
    }

    /** The timeline position of the next sample {@link #take} returns. */
    long taken() {
        return taken;
    }
}
