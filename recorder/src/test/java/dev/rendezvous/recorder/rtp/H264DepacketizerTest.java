package dev.rendezvous.recorder.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class H264DepacketizerTest {

    /** Parameter sets written by the system's libx264 (320×180 constrained baseline: 192 coded lines, cropped). */
    private static final byte[] SPS = hex("6742c00dda05067e7c04400000030040000007a3c50aa8");
    private static final byte[] PPS = hex("68ce3c80");
    private static final byte[] IDR = {0x65, (byte) 0x88, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
    private static final byte[] SLICE = {0x41, (byte) 0x9a, 0x01, 0x02};
    private static final byte[] SECOND_SLICE = {0x41, 0x03, 0x05}; // first_mb_in_slice > 0

    private final List<Long> timestamps = new ArrayList<>();
    private final List<Boolean> keys = new ArrayList<>();
    private final List<byte[]> units = new ArrayList<>();
    private final List<int[]> sizes = new ArrayList<>();
    private final H264Depacketizer d = new H264Depacketizer((ts, key, f, len, w, h) -> {
        timestamps.add(ts);
        keys.add(key);
        units.add(Arrays.copyOf(f, len));
        sizes.add(new int[] {w, h});
    });

    @Test
    void spsSizesHonourMacroblocksCroppingProfilesAndScalingMatrices() {
        assertThat(H264Sps.size(SPS, 0, SPS.length)).isEqualTo(new H264Sps.Size(320, 180));
        byte[] high1080 = hex("67640028acd940780227e5c044000003000400000300783c60c658");
        assertThat(H264Sps.size(high1080, 0, high1080.length)).isEqualTo(new H264Sps.Size(1920, 1080));
        byte[] oddWidth = hex("6742c00cda0547f88f0110000003001000000301e0f142aa");
        assertThat(H264Sps.size(oddWidth, 0, oddWidth.length)).isEqualTo(new H264Sps.Size(322, 240));
        byte[] high444 = hex("67f4001f919b280a00b760220000030002000003003c1e30632c");
        assertThat(H264Sps.size(high444, 0, high444.length)).isEqualTo(new H264Sps.Size(1280, 720));
        assertThat(H264Sps.size(SPS, 0, 6)).as("cut short").isNull();
        assertThat(H264Sps.size(PPS, 0, PPS.length)).as("not an SPS").isNull();
        assertThat(H264Sps.unescape(hex("0000030100000300"), 0, 8)).containsExactly(0, 0, 1, 0, 0, 0);
    }

    @Test
    void theAvcCRecordCarriesProfileLevelLengthSizeAndBothParameterSets() {
        byte[] avcC = H264Sps.avcC(SPS, PPS);
        assertThat(Arrays.copyOf(avcC, 8)).containsExactly(1, 0x42, 0xC0, 0x0D, 0xFF, 0xE1, 0, SPS.length);
        assertThat(Arrays.copyOfRange(avcC, 8, 8 + SPS.length)).isEqualTo(SPS);
        assertThat(Arrays.copyOfRange(avcC, 8 + SPS.length, avcC.length))
                .isEqualTo(concat(new byte[] {1, 0, (byte) PPS.length}, PPS));
        assertThat(H264Sps.avcC(null, null)).containsExactly(1, 0x42, 0xE0, 0x1F, 0xFF, 0xE0, 0);
    }

    @Test
    void stapAAndFuAFragmentsBecomeOneLengthPrefixedKeyframeWithTheSizeAndTheAvcC() {
        d.push(stapA(SPS, PPS), 0, stapA(SPS, PPS).length, 1000, false, false);
        List<byte[]> fu = fuA(IDR, 3);
        for (int i = 0; i < fu.size(); i++) {
            d.push(fu.get(i), 0, fu.get(i).length, 1000, i == fu.size() - 1, false);
        }
        d.push(SLICE, 0, SLICE.length, 4000, true, false);
        assertThat(keys).containsExactly(true, false);
        assertThat(units.get(0)).isEqualTo(concat(prefixed(SPS), prefixed(PPS), prefixed(IDR)));
        assertThat(units.get(1)).isEqualTo(prefixed(SLICE));
        assertThat(sizes.get(0)).containsExactly(320, 180);
        assertThat(sizes.get(1)).containsExactly(0, 0);
        assertThat(d.codecPrivate()).isEqualTo(H264Sps.avcC(SPS, PPS));
        assertThat(d.needsKeyframe()).isFalse();
    }

    @Test
    void theOutputStartsOnAnIdrWithKnownParameterSets() {
        d.push(SLICE, 0, SLICE.length, 100, true, false); // no reference yet
        d.push(IDR, 0, IDR.length, 200, true, false); // an IDR, but no SPS/PPS known
        assertThat(units).isEmpty();
        assertThat(d.codecPrivate()).isNull();
        d.push(stapA(SPS, PPS, IDR), 0, stapA(SPS, PPS, IDR).length, 300, true, false);
        d.push(IDR, 0, IDR.length, 400, true, false); // parameter sets known from before: a keyframe too
        assertThat(timestamps).containsExactly(300L, 400L);
        assertThat(keys).containsExactly(true, true);
        assertThat(d.framesDropped()).isEqualTo(2);
    }

    @Test
    void anFuAWithAHoleOrWithoutItsStartDropsTheUnitAndWhatFollowsUntilTheNextIdr() {
        key(100);
        List<byte[]> fu = fuA(concat(new byte[] {0x41, (byte) 0x9a}, new byte[3000]), 4);
        d.push(fu.get(0), 0, fu.get(0).length, 200, false, false);
        d.push(fu.get(2), 0, fu.get(2).length, 200, false, true); // fragment 1 lost
        d.push(fu.get(3), 0, fu.get(3).length, 200, true, false);
        d.push(SLICE, 0, SLICE.length, 300, true, false); // references the broken unit
        d.push(fu.get(1), 0, fu.get(1).length, 400, false, true); // the start of this unit lost
        d.push(fu.get(3), 0, fu.get(3).length, 400, true, false);
        assertThat(d.needsKeyframe()).isTrue();
        key(500);
        assertThat(timestamps).containsExactly(100L, 500L);
        assertThat(d.framesDropped()).isEqualTo(3);
    }

    @Test
    void twoSlicesInSingleNalPacketsAreOneAccessUnitAndAMissingMarkerEndsItAtTheNextTimestamp() {
        key(100);
        d.push(SLICE, 0, SLICE.length, 200, false, false);
        d.push(SECOND_SLICE, 0, SECOND_SLICE.length, 200, true, false);
        d.push(SLICE, 0, SLICE.length, 300, false, false); // its marker packet is lost with nothing after it
        key(400);
        assertThat(timestamps).containsExactly(100L, 200L, 400L);
        assertThat(units.get(1)).isEqualTo(concat(prefixed(SLICE), prefixed(SECOND_SLICE)));
    }

    @Test
    void interleavedModePacketsAndMalformedAggregatesBreakTheUnitWithoutThrowing() {
        key(100);
        d.push(new byte[] {0x19, 0, 1, 0x41}, 0, 4, 200, true, false); // STAP-B
        key(300);
        d.push(new byte[] {0x18, 0, 9, 0x41}, 0, 4, 400, true, false); // size beyond the payload
        key(500);
        d.push(new byte[] {0x1C}, 0, 1, 600, true, false); // FU-A without its header
        d.push(new byte[0], 0, 0, 600, true, false);
        key(700);
        assertThat(timestamps).containsExactly(100L, 300L, 500L, 700L);
    }

    @Test
    void reorderedPacketsAcrossTheSequenceAndTimestampWrapGiveEveryAccessUnit() {
        List<byte[]> rtp = new ArrayList<>();
        int[] seq = {65_533};
        long ts = 0xFFFF_FFFFL - 3_000;
        for (int unit = 0; unit < 5; unit++) {
            List<byte[]> payloads = new ArrayList<>();
            if (unit == 0) {
                payloads.add(stapA(SPS, PPS));
                payloads.addAll(fuA(IDR, 2));
            } else {
                payloads.addAll(fuA(concat(new byte[] {0x41, (byte) 0x9a, (byte) unit}, new byte[40]), 2));
            }
            for (int i = 0; i < payloads.size(); i++) {
                rtp.add(rtp(seq[0], ts, i == payloads.size() - 1, payloads.get(i)));
                seq[0] = (seq[0] + 1) & 0xFFFF;
            }
            ts += 3_000;
        }
        java.util.Collections.swap(rtp, 1, 2);
        java.util.Collections.swap(rtp, 5, 7);
        ReorderBuffer reorder = new ReorderBuffer(64, 100, (p, len, at, lost) -> d.push(p, 12, len - 12,
                ((p[4] & 0xFFL) << 24) | ((p[5] & 0xFFL) << 16) | ((p[6] & 0xFFL) << 8) | (p[7] & 0xFFL),
                (p[1] & 0x80) != 0, lost));
        for (byte[] p : rtp) {
            reorder.push(p, 0, p.length, 0);
        }
        reorder.flush();
        assertThat(timestamps).containsExactly(4294964295L, 4294967295L, 2999L, 5999L, 8999L);
        assertThat(keys).containsExactly(true, false, false, false, false);
        assertThat(units.get(3)[6]).isEqualTo((byte) 3);
        assertThat(d.framesDropped()).isZero();
    }

    private void key(long ts) {
        byte[] p = stapA(SPS, PPS, IDR);
        d.push(p, 0, p.length, ts, true, false);
    }

    private static byte[] rtp(int seq, long ts, boolean marker, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | 102);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (ts >>> 24);
        p[5] = (byte) (ts >>> 16);
        p[6] = (byte) (ts >>> 8);
        p[7] = (byte) ts;
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }

    static byte[] stapA(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x18);
        for (byte[] n : nals) {
            out.write(n.length >>> 8);
            out.write(n.length);
            out.write(n, 0, n.length);
        }
        return out.toByteArray();
    }

    /** {@code nal} as {@code parts} FU-A fragments. */
    static List<byte[]> fuA(byte[] nal, int parts) {
        List<byte[]> out = new ArrayList<>();
        int body = nal.length - 1;
        int step = (body + parts - 1) / parts;
        for (int i = 0; i < parts; i++) {
            int from = 1 + i * step;
            int to = Math.min(nal.length, from + step);
            byte[] p = new byte[2 + to - from];
            p[0] = (byte) ((nal[0] & 0xE0) | 28);
            p[1] = (byte) ((i == 0 ? 0x80 : 0) | (i == parts - 1 ? 0x40 : 0) | (nal[0] & 0x1F));
            System.arraycopy(nal, from, p, 2, to - from);
            out.add(p);
        }
        return out;
    }

    private static byte[] prefixed(byte[] nal) {
        return concat(new byte[] {0, 0, (byte) (nal.length >>> 8), (byte) nal.length}, nal);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
