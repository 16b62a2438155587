package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.seqDiff;

/**
 * Which sequence numbers of an incoming stream are missing and should be NACKed (RFC 4585 generic NACK), held
 * in fixed arrays of {@code maxMissing} entries.
 *
 * <p>Exists so that the forwarder can ask publishers to retransmit lost packets itself (the subscribers' own
 * NACKs are answered from a {@link PacketCache}). A gap is reported by the next {@link #collect} call, then again
 * every round-trip time until the packet arrives or it was requested {@code maxRetries} times. When more than
 * {@code maxMissing} entries would be held, the oldest are dropped. A jump of more than {@code maxMissing}
 * ahead resets the tracker (the sender restarted or a long outage makes retransmission pointless); a packet far
 * behind is ignored unless the next packet follows it, which is taken as a restart as well.
 *
 * <p>Not thread-safe: call from the packet thread that owns the stream.
 */
public final class NackTracker {

    private final int maxMissing;
    private final int maxRetries;
    /** Missing sequence numbers, oldest first, in [0, count). */
    private final int[] seqs;
    private final long[] lastSent;
    private final int[] sent;
    private int count;

    private boolean started;
    private int highest;
    private int restartCandidate = -1;

    public NackTracker(int maxMissing, int maxRetries) {
        if (maxMissing < 1 || maxMissing > 0x7FFF || maxRetries < 1) {
            throw new IllegalArgumentException("maxMissing 1..32767 and maxRetries >= 1 expected");
        }
        this.maxMissing = maxMissing;
        this.maxRetries = maxRetries;
        this.seqs = new int[maxMissing];
        this.lastSent = new long[maxMissing];
        this.sent = new int[maxMissing];
    }

    /** Records an arrival: fills a gap before it as missing, or removes it from the missing set if it was late. */
    public void onPacket(int seq, long nowNanos) {
        seq &= 0xFFFF;
        if (!started) {
            restart(seq);
            return;
        }
        int d = seqDiff(seq, highest);
        if (d > maxMissing) {
            restart(seq);
        } else if (d > 0) {
            restartCandidate = -1;
            addMissing((highest + 1) & 0xFFFF, d - 1);
            highest = seq;
        } else if (d < 0) {
            if (-d <= maxMissing) {
                remove(seq);
            } else if (seq == restartCandidate) {
                restart(seq);
            } else {
                restartCandidate = (seq + 1) & 0xFFFF;
            }
        }
    }

    private void restart(int seq) {
        started = true;
        highest = seq;
        count = 0;
        restartCandidate = -1;
    }

    private void addMissing(int first, int n) {
        if (n <= 0) {
            return;
        }
        if (n >= maxMissing) { // keep only the newest maxMissing
            first = (first + n - maxMissing) & 0xFFFF;
            n = maxMissing;
            count = 0;
        }
        int drop = count + n - maxMissing;
        if (drop > 0) { // oldest entries make room
            System.arraycopy(seqs, drop, seqs, 0, count - drop);
            System.arraycopy(lastSent, drop, lastSent, 0, count - drop);
            System.arraycopy(sent, drop, sent, 0, count - drop);
            count -= drop;
        }
        for (int i = 0; i < n; i++) {
            seqs[count] = (first + i) & 0xFFFF;
            lastSent[count] = 0;
            sent[count] = 0;
            count++;
        }
    }

    private void remove(int seq) {
        for (int i = 0; i < count; i++) {
            if (seqs[i] == seq) {
                int tail = count - i - 1;
                System.arraycopy(seqs, i + 1, seqs, i, tail);
                System.arraycopy(lastSent, i + 1, lastSent, i, tail);
                System.arraycopy(sent, i + 1, sent, i, tail);
                count--;
                return;
            }
        }
    }

    /**
     * Copies up to {@code out.length} sequence numbers due for a NACK now (never requested yet, or last requested
     * at least {@code rttNanos} ago) into {@code out}, oldest first, and returns how many. An entry requested
     * {@code maxRetries} times is dropped.
     */
    public int collect(long nowNanos, long rttNanos, int[] out) {
        int n = 0;
        int w = 0;
        for (int i = 0; i < count; i++) {
            boolean keep = true;
            if (n < out.length && (sent[i] == 0 || nowNanos - lastSent[i] >= rttNanos)) {
                out[n++] = seqs[i];
                sent[i]++;
                lastSent[i] = nowNanos;
                keep = sent[i] < maxRetries;
            }
            if (keep) {
                seqs[w] = seqs[i];
                lastSent[w] = lastSent[i];
                sent[w] = sent[i];
                w++;
            }
        }
        count = w;
        return n;
    }

    /** Number of sequence numbers currently considered missing. */
    public int missingCount() {
        return count;
    }

    /** Whether this sequence number is currently considered missing. */
    public boolean isMissing(int seq) {
        seq &= 0xFFFF;
        for (int i = 0; i < count; i++) {
            if (seqs[i] == seq) {
                return true;
            }
        }
        return false;
    }
}
