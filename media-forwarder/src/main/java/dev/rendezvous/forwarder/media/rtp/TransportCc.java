package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.put16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put24;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u24;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01): RTCP RTPFB
 * with FMT 15 — base sequence number, packet status count, 24-bit reference time in 64 ms units, feedback
 * packet count, then 16-bit packet chunks (run length: {@code 0|S|run(13)}; status vector: {@code 1|0|14 one-bit
 * symbols} or {@code 1|1|7 two-bit symbols}) and the receive deltas in 250 µs ticks (one unsigned byte for a
 * "small" delta, two signed bytes for a "large or negative" one).
 *
 * <p>{@link Reader} walks a received feedback packet status by status; {@link Writer} encodes arrival times
 * recorded by the receiver. Both are reusable and allocate nothing per packet.
 */
public final class TransportCc {

    public static final int FMT = 15;
    /** Not received. */
    static final int NOT_RECEIVED = 0;
    /** Received, delta 0..255 ticks (one byte). */
    static final int SMALL = 1;
    /** Received, delta outside 0..255 ticks (two bytes, signed). */
    static final int LARGE = 2;
    public static final long TICK_US = 250;
    public static final long REFERENCE_UNIT_US = 64_000;
    /** Header bytes before the first chunk. */
    static final int HEADER = 20;

    private TransportCc() {
    }

    public static boolean isTransportCc(int type, int fmt) {
        return type == Rtcp.RTPFB && fmt == FMT;
    }

    /**
     * A reusable cursor over one feedback packet. {@link #reset} with the packet's offset and its length
     * without padding (as {@link Rtcp.Cursor#offset()} and {@link Rtcp.Cursor#bodyLength()} give them), then
     * {@link #next} once per packet status, in sequence order:
     * <pre>{@code
     * if (reader.reset(buf, cursor.offset(), cursor.bodyLength())) {
     *     while (reader.next()) {
     *         use(reader.sequence(), reader.received() ? reader.arrivalUs() : -1);
     *     }
     * }
     * }</pre>
     * {@link #next} returns false at the end or where the packet turns out truncated (what came before stays
     * valid). Arrival times are µs on the receiver's clock: the reference time plus the deltas so far.
     */
    public static final class Reader {
        private byte[] buf;
        private int end;
        private int baseSeq;
        private int count;
        private long referenceUs;
        private int fbCount;
        private int index;
        private int chunkPos;
        private int chunkIndex;
        private int chunkCapacity;
        private int deltaPos;
        private int symbol;
        private long arrivalUs;

        /** False if this is not a plausible feedback packet (too short for its header or its chunks). */
        public boolean reset(byte[] b, int packetOffset, int bodyLength) {
            buf = b;
            end = packetOffset + bodyLength;
            index = 0;
            count = 0;
            if (b == null || packetOffset < 0 || bodyLength < HEADER || end > b.length) {
                return false;
            }
            int p = packetOffset;
            baseSeq = u16(b, p + 12);
            count = u16(b, p + 14);
            int ref = (u24(b, p + 16) << 8) >> 8; // signed 24 bits
            referenceUs = ref * REFERENCE_UNIT_US;
            fbCount = b[p + 19] & 0xFF;
            // find where the deltas start: after the chunks that cover `count` statuses
            int covered = 0;
            int q = p + HEADER;
            while (covered < count) {
                if (q + 2 > end) {
                    count = 0;
                    return false;
                }
                covered += capacity(u16(b, q));
                q += 2;
            }
            deltaPos = q;
            chunkPos = p + HEADER;
            chunkIndex = 0;
            chunkCapacity = count == 0 ? 0 : capacity(u16(b, chunkPos));
            arrivalUs = referenceUs;
            return true;
        }

        private static int capacity(int chunk) {
            if ((chunk & 0x8000) == 0) {
                return chunk & 0x1FFF;
            }
            return (chunk & 0x4000) == 0 ? 14 : 7;
        }

        private int symbolAt(int chunk, int i) {
            if ((chunk & 0x8000) == 0) {
                return (chunk >>> 13) & 0x3;
            }
            if ((chunk & 0x4000) == 0) {
                return (chunk >>> (13 - i)) & 0x1;
            }
            return (chunk >>> (12 - 2 * i)) & 0x3;
        }

        /** Moves to the next packet status; false at the end or on a truncated/reserved entry. */
        public boolean next() {
            if (index >= count) {
                return false;
            }
            while (chunkIndex >= chunkCapacity) {
                chunkPos += 2;
                chunkIndex = 0;
                chunkCapacity = capacity(u16(buf, chunkPos));
            }
            symbol = symbolAt(u16(buf, chunkPos), chunkIndex);
            chunkIndex++;
            if (symbol == SMALL) {
                if (deltaPos + 1 > end) {
                    count = index;
                    return false;
                }
                arrivalUs += (buf[deltaPos] & 0xFF) * TICK_US;
                deltaPos += 1;
            } else if (symbol == LARGE) {
                if (deltaPos + 2 > end) {
                    count = index;
                    return false;
                }
                arrivalUs += (short) u16(buf, deltaPos) * TICK_US;
                deltaPos += 2;
            } else if (symbol != NOT_RECEIVED) {
                count = index;
                return false;
            }
            index++;
            return true;
        }

        public int baseSequence() {
            return baseSeq;
        }

        public int statusCount() {
            return count;
        }

        public long referenceTimeUs() {
            return referenceUs;
        }

        public int feedbackCount() {
            return fbCount;
        }

        /** 16-bit transport-wide sequence number of the current status. */
        public int sequence() {
            return (baseSeq + index - 1) & 0xFFFF;
        }

        public boolean received() {
            return symbol != NOT_RECEIVED;
        }

        /** Arrival time (µs, receiver clock) of the current packet if {@link #received()}, else -1. */
        public long arrivalUs() {
            return symbol == NOT_RECEIVED ? -1 : arrivalUs;
        }
    }

    /**
     * Encodes a feedback packet from recorded arrival times, with scratch space for up to {@code maxStatuses}
     * statuses per packet. {@link #write} covers as many of the given packets as fit in the byte budget (and
     * stops before a delta that two bytes cannot carry); {@link #covered()} says how many, so the caller starts
     * the next packet there.
     */
    public static final class Writer {
        private final byte[] symbols;
        private final short[] deltas;
        private int covered;

        public Writer(int maxStatuses) {
            symbols = new byte[maxStatuses];
            deltas = new short[maxStatuses];
        }

        /** Statuses the last {@link #write} covered. */
        public int covered() {
            return covered;
        }

        /**
         * Writes feedback for packets {@code baseSeq, baseSeq+1, ...}: {@code arrivalUs[from + i]} is packet
         * {@code baseSeq + i}'s arrival (µs, any epoch ≥ 0) or -1 if not received, for i in [0, n). The
         * reference time is the first received packet's arrival (rounded down to 64 ms). Returns the bytes
         * written (a multiple of 4, padded with the P bit), or 0 if none of them was received.
         */
        public int write(byte[] b, int off, int maxBytes, long senderSsrc, long mediaSsrc, int feedbackCount,
                         int baseSeq, long[] arrivalUs, int from, int n) {
            covered = 0;
            int firstReceived = -1;
            for (int i = 0; i < n && firstReceived < 0; i++) {
                if (arrivalUs[from + i] >= 0) {
                    firstReceived = i;
                }
            }
            if (firstReceived < 0) {
                return 0;
            }
            long refUnits = arrivalUs[from + firstReceived] / REFERENCE_UNIT_US;
            long previousTicks = refUnits * (REFERENCE_UNIT_US / TICK_US);
            int deltaBytes = 0;
            int limit = Math.min(Math.min(n, symbols.length), 0xFFFF);
            int k = 0;
            for (; k < limit; k++) {
                long a = arrivalUs[from + k];
                int sym;
                int bytes = 0;
                if (a < 0) {
                    sym = NOT_RECEIVED;
                } else {
                    long ticks = a / TICK_US;
                    long d = ticks - previousTicks;
                    if (d >= 0 && d <= 255) {
                        sym = SMALL;
                        bytes = 1;
                    } else if (d >= Short.MIN_VALUE && d <= Short.MAX_VALUE) {
                        sym = LARGE;
                        bytes = 2;
                    } else {
                        break;
                    }
                    deltas[k] = (short) d;
                }
                // worst case of the chunks: 2 bytes per 7 statuses, and 3 bytes of padding
                int worst = HEADER + 2 * ((k + 1 + 6) / 7) + deltaBytes + bytes + 3;
                if (worst > maxBytes) {
                    break;
                }
                symbols[k] = (byte) sym;
                deltaBytes += bytes;
                if (a >= 0) {
                    previousTicks += deltas[k];
                }
            }
            if (k == 0) {
                return 0;
            }
            covered = k;
            int p = off + HEADER;
            int i = 0;
            while (i < k) {
                p += writeChunk(b, p, i, k);
                i += consumed;
            }
            for (int j = 0; j < k; j++) {
                if (symbols[j] == SMALL) {
                    b[p++] = (byte) deltas[j];
                } else if (symbols[j] == LARGE) {
                    put16(b, p, deltas[j]);
                    p += 2;
                }
            }
            int length = p - off;
            int padding = (4 - (length & 3)) & 3;
            for (int j = 0; j < padding; j++) {
                b[p++] = 0;
            }
            if (padding > 0) {
                b[p - 1] = (byte) padding;
            }
            int total = length + padding;
            b[off] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | FMT);
            b[off + 1] = (byte) Rtcp.RTPFB;
            put16(b, off + 2, total / 4 - 1);
            put32(b, off + 4, senderSsrc);
            put32(b, off + 8, mediaSsrc);
            put16(b, off + 12, baseSeq & 0xFFFF);
            put16(b, off + 14, k);
            put24(b, off + 16, (int) (refUnits & 0xFFFFFF));
            b[off + 19] = (byte) feedbackCount;
            return total;
        }

        private int consumed;

        /** Writes the chunk starting at status i (of k); sets {@link #consumed}. Returns 2. */
        private int writeChunk(byte[] b, int p, int i, int k) {
            int first = symbols[i];
            int run = 1;
            while (i + run < k && symbols[i + run] == first && run < 0x1FFF) {
                run++;
            }
            if (run >= 14 || i + run == k) {
                put16(b, p, (first << 13) | run);
                consumed = run;
                return 2;
            }
            boolean twoBit = false;
            for (int j = i; j < Math.min(k, i + 14); j++) {
                if (symbols[j] == LARGE) {
                    twoBit = true;
                    break;
                }
            }
            int chunk = 0x8000;
            if (twoBit) {
                chunk |= 0x4000;
                for (int j = 0; j < 7 && i + j < k; j++) {
                    chunk |= symbols[i + j] << (12 - 2 * j);
                }
                consumed = Math.min(7, k - i);
            } else {
                for (int j = 0; j < 14 && i + j < k; j++) {
                    chunk |= symbols[i + j] << (13 - j);
                }
                consumed = Math.min(14, k - i);
            }
            put16(b, p, chunk);
            return 2;
        }
    }
}
