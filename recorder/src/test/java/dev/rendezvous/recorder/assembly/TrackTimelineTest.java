package dev.rendezvous.recorder.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.rtp.VideoCodec;
import dev.rendezvous.topics.chunk.RecordingChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Block times of one track: from arrival and RTP timestamps, and always strictly increasing. */
class TrackTimelineTest {

    private static final long START_MICROS = 1_000_000_000L;

    /** A one-packet VP8 frame (descriptor with S=1, partition 0; payload's first byte says key or delta). */
    private static byte[] vp8(int seq, long ts, boolean keyframe) {
        byte[] p = new byte[12 + 1 + 3];
        p[0] = (byte) 0x80;
        p[1] = (byte) (0x80 | 96);   // marker, payload type 96
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[12] = 0x10;
        p[13] = (byte) (keyframe ? 0x00 : 0x01);
        return p;
    }

    private static List<Block> run(long... timestamps) {
        List<Block> out = new ArrayList<>();
        TrackTimeline t = new TrackTimeline(VideoCodec.VP8, START_MICROS, out::add);
        List<RecordingChunk.Packet> packets = new ArrayList<>();
        for (int i = 0; i < timestamps.length; i++) {
            packets.add(new RecordingChunk.Packet(i * 1_000, vp8(100 + i, timestamps[i], i == 0)));
        }
        t.add(new RecordingChunk("rec", "m", "fwd", 1, "p", "camera", "video", 90_000, Map.of(96, "VP8"), 0, true,
                START_MICROS + 50_000, packets));
        t.finish();
        return out;
    }

    @Test
    void shouldPlaceFramesByTheirRtpTimestampsAfterTheFirstArrival() {
        List<Block> b = run(90_000, 90_000 + 6_000, 90_000 + 12_000);
        assertThat(b).extracting(Block::timeMs).containsExactly(50L, 116L, 183L);
        assertThat(b.get(0).keyframe()).isTrue();
    }

    @Test
    void shouldKeepTimesStrictlyIncreasingForFramesLessThanAMillisecondApartOrALittleBackwards() {
        List<Block> b = run(90_000, 90_045, 96_000, 95_990, 102_000);
        assertThat(b).extracting(Block::timeMs).containsExactly(50L, 51L, 116L, 117L, 183L);
    }

    @Test
    void shouldDropVideoPacketsOfAnotherCodecThanTheTracksAndCountThem() {
        List<Block> out = new ArrayList<>();
        TrackTimeline t = new TrackTimeline(VideoCodec.VP9, START_MICROS, out::add);
        List<RecordingChunk.Packet> packets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            packets.add(new RecordingChunk.Packet(i * 1_000, vp8(100 + i, 90_000 + i * 6_000L, i == 0)));
        }
        t.add(new RecordingChunk("rec", "m", "fwd", 1, "p", "camera", "video", 90_000, Map.of(96, "VP8", 98, "VP9"),
                0, true, START_MICROS, packets));
        t.finish();
        assertThat(out).isEmpty();
        assertThat(t.foreignPackets()).isEqualTo(3);
        assertThat(t.codec()).isEqualTo(VideoCodec.VP9);
    }

    @Test
    void aForwarderRestartContinuesTheTrackAfterAGapWithTimesThatNeverGoBack() {
        List<Block> out = new ArrayList<>();
        TrackTimeline t = new TrackTimeline(VideoCodec.VP8, START_MICROS, out::add);
        t.add(chunk("fwd-1", 1, 0, START_MICROS + 50_000, 100, 90_000, 90_000 + 6_000));
        t.add(chunk("fwd-1", 1, 1, START_MICROS + 116_000, 102, 90_000 + 12_000));
        // the forwarder restarted 2 s later: new id, chunks from 0, sequence numbers and timestamps anywhere
        t.add(chunk("fwd-2", 4, 0, START_MICROS + 2_200_000, 7, 1_000, 1_000 + 6_000));
        t.add(chunk("fwd-2", 4, 1, START_MICROS + 2_266_000, 9, 1_000 + 12_000));
        // and restarted again under the same id (chunks from 0 again)
        t.add(chunk("fwd-2", 4, 0, START_MICROS + 3_000_000, 50_000, 700_000));
        t.finish();
        assertThat(out).extracting(Block::timeMs).containsExactly(50L, 116L, 183L, 2200L, 2266L, 2333L, 3000L);
        assertThat(t.gaps()).isEqualTo(2);
    }

    /** One chunk of keyframe-led one-packet frames (first packet a keyframe), 66 ms of arrival apart. */
    private static RecordingChunk chunk(String forwarder, long track, long sequence, long baseMicros, int firstSeq,
                                        long... timestamps) {
        List<RecordingChunk.Packet> packets = new ArrayList<>();
        for (int i = 0; i < timestamps.length; i++) {
            packets.add(new RecordingChunk.Packet(i * 66_000, vp8(firstSeq + i, timestamps[i], sequence == 0 && i == 0)));
        }
        return new RecordingChunk("rec", "m", forwarder, track, "p", "camera", "video", 90_000, Map.of(96, "VP8"),
                sequence, false, baseMicros, packets);
    }
}
