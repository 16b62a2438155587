package dev.rendezvous.recorder.assembly;

import dev.rendezvous.topics.chunk.RecordingChunk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** RTP packets cut into chunks the way the forwarder's recording tap writes them. */
public final class ChunkFixtures {

    public static final long T0 = 1_765_000_000_000_000L; // µs since the epoch

    private ChunkFixtures() {
    }

    /** One track's packets as ≤ 0.5 s chunks, the last flagged; arrival = media time (+ {@code delayMicros}). */
    public static List<RecordingChunk> chunks(String recordingId, String participantId, long trackId, String kind,
                                              int clock, List<byte[]> packets, long delayMicros) {
        return chunks(recordingId, participantId, trackId, kind, clock, packets, delayMicros,
                kind.equals("video") ? Map.of(96, "VP8") : Map.of(111, "opus"));
    }

    /** The same with the track's payload types → codec names. */
    public static List<RecordingChunk> chunks(String recordingId, String participantId, long trackId, String kind,
                                              int clock, List<byte[]> packets, long delayMicros,
                                              Map<Integer, String> codecs) {
        List<RecordingChunk> out = new ArrayList<>();
        List<RecordingChunk.Packet> current = new ArrayList<>();
        long base = -1;
        long first = timestamp(packets.get(0));
        long seq = 0;
        for (byte[] p : packets) {
            long at = T0 + delayMicros + (long) (int) (timestamp(p) - first) * 1_000_000 / clock; // 32-bit wrap
            if (base < 0) {
                base = at;
            }
            if (at - base >= 500_000) {
                out.add(chunk(recordingId, participantId, trackId, kind, clock, codecs, seq++, false, base, current));
                current = new ArrayList<>();
                base = at;
            }
            current.add(new RecordingChunk.Packet((int) (at - base), p));
        }
        out.add(chunk(recordingId, participantId, trackId, kind, clock, codecs, seq, true, base, current));
        return out;
    }

    /** Chunks of several tracks in the order the forwarder emits them: by their first packet's arrival. */
    @SafeVarargs
    public static List<RecordingChunk> interleave(List<RecordingChunk>... tracks) {
        List<RecordingChunk> all = new ArrayList<>();
        for (List<RecordingChunk> t : tracks) {
            all.addAll(t);
        }
        all.sort(Comparator.comparingLong(RecordingChunk::baseEpochMicros));
        return all;
    }

    static long timestamp(byte[] rtp) {
        return ((rtp[4] & 0xFFL) << 24) | ((rtp[5] & 0xFFL) << 16) | ((rtp[6] & 0xFFL) << 8) | (rtp[7] & 0xFFL);
    }

    private static RecordingChunk chunk(String recordingId, String participantId, long trackId, String kind, int clock,
                                        Map<Integer, String> codecs, long seq, boolean last, long base,
                                        List<RecordingChunk.Packet> packets) {
        boolean video = kind.equals("video");
        return new RecordingChunk(recordingId, "m-1", "fw-1", trackId, participantId, video ? "camera" : "microphone",
                kind, clock, codecs, seq, last, base, packets);
    }
}
