package dev.rendezvous.recorder.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Vp9DepacketizerTest {

    private final List<String> frames = new ArrayList<>();
    private final List<byte[]> bytes = new ArrayList<>();
    private final List<int[]> sizes = new ArrayList<>();
    private final Vp9Depacketizer d = new Vp9Depacketizer((ts, key, f, len, w, h) -> {
        frames.add(ts + (key ? "K" : "") + ":" + new String(f, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1));
        bytes.add(Arrays.copyOf(f, len));
        sizes.add(new int[] {w, h});
    });

    /** I=1 (7-bit picture id); P, B, E as given; no layer indices. */
    private static byte[] packet(boolean p, boolean b, boolean e, String data) {
        byte[] out = new byte[2 + data.length()];
        out[0] = (byte) (0x80 | (p ? 0x40 : 0) | (b ? 0x08 : 0) | (e ? 0x04 : 0));
        out[1] = 0x05;
        for (int i = 0; i < data.length(); i++) {
            out[2 + i] = (byte) data.charAt(i);
        }
        return out;
    }

    private void push(byte[] p, long ts, boolean marker, boolean lost) {
        d.push(p, 0, p.length, ts, marker, lost);
    }

    @Test
    void descriptorLengthsFollowTheFlagsInBothModes() {
        // I with a 15-bit picture id, L with TL0PICIDX (non-flexible)
        assertThat(d.descriptor(new byte[] {(byte) 0xA8, (byte) 0x81, 0x02, 0x00, 0x07, 'x'}, 0, 6)).isEqualTo(5);
        // flexible, P: layer byte without TL0PICIDX, then two P_DIFFs (N set on the first)
        assertThat(d.descriptor(new byte[] {(byte) 0xF8, 0x05, 0x00, 0x03, 0x04, 'x'}, 0, 6)).isEqualTo(5);
        // V: SS with N_S = 1 (two layers), Y (sizes), G with one group of one reference
        byte[] ss = {(byte) 0x8A, 0x05, 0x38, 0x01, 0x40, 0x00, (byte) 0xB4, 0x02, (byte) 0x80, 0x01, 0x68, 0x01, 0x04, 0x01, 'x'};
        assertThat(d.descriptor(ss, 0, ss.length)).isEqualTo(ss.length - 1);
        // cut short: more P_DIFFs announced than there are bytes, a truncated SS, an empty payload
        assertThat(d.descriptor(new byte[] {(byte) 0xD8, 0x05, 0x03}, 0, 3)).isEqualTo(-1);
        assertThat(d.descriptor(new byte[] {(byte) 0x8A, 0x05, 0x38, 0x01}, 0, 4)).isEqualTo(-1);
        assertThat(d.descriptor(new byte[0], 0, 0)).isEqualTo(-1);
    }

    @Test
    void joinsAPicturesPacketsStartsOnAKeyframeAndTakesTheSizeFromTheScalabilityStructure() {
        push(packet(true, true, true, "delta"), 100, true, false); // no reference yet: dropped
        byte[] key = {(byte) 0x8A, 0x05, 0x10, 0x01, 0x40, 0x00, (byte) 0xB4, 'k', 'e'}; // V: one layer, 320x180
        push(key, 200, false, false);
        push(packet(false, false, true, "y"), 200, true, false);
        push(packet(true, true, true, "d"), 300, true, false);
        assertThat(frames).containsExactly("200K:key", "300:d");
        assertThat(sizes.get(0)).containsExactly(320, 180);
        assertThat(sizes.get(1)).containsExactly(0, 0);
        assertThat(d.framesDropped()).isEqualTo(1);
        assertThat(d.needsKeyframe()).isFalse();
    }

    @Test
    void aLossInsideOrBetweenPicturesWaitsForTheNextKeyframe() {
        push(packet(false, true, true, "k"), 100, true, false);
        push(packet(true, true, false, "a"), 200, false, false);
        push(packet(true, false, true, "b"), 200, true, true); // a middle packet lost
        push(packet(true, true, true, "c"), 300, true, false); // references the broken picture
        assertThat(d.needsKeyframe()).isTrue();
        push(packet(true, false, true, "x"), 400, true, true); // the start of this one lost
        push(packet(false, true, true, "K"), 500, true, true); // whole pictures lost before: a keyframe resumes
        push(packet(true, true, true, "e"), 600, true, false);
        assertThat(frames).containsExactly("100K:k", "500K:K", "600:e");
        assertThat(d.framesDropped()).isEqualTo(4);
    }

    @Test
    void aPictureWhoseMarkerWasLostIsDroppedWhenTheNextTimestampComes() {
        push(packet(false, true, true, "k"), 100, true, false);
        push(packet(true, true, false, "a"), 200, false, false);
        push(packet(true, true, true, "n"), 300, true, true); // the marker packet of 200 was lost
        push(packet(false, true, true, "K"), 400, true, false);
        assertThat(frames).containsExactly("100K:k", "400K:K");
    }

    @Test
    void spatialLayersOfOnePictureBecomeOneSuperframeThatSplitsBackIntoTheLayerFrames() {
        byte[] l0 = {(byte) 0xAC, 0x05, 0x00, 0x00, 'b', 'a', 's', 'e'}; // L: SID 0, B+E
        byte[] l1a = {(byte) 0xA8, 0x05, 0x03, 0x00, 't', 'o', 'p'}; // SID 1, D, B
        byte[] l1b = {(byte) 0xA4, 0x05, 0x03, 0x00, '!'}; // E
        push(l0, 900, false, false);
        push(l1a, 900, false, false);
        push(l1b, 900, true, false);
        assertThat(frames).hasSize(1);
        byte[] sf = bytes.get(0);
        assertThat(Vp9Depacketizer.superframeIndex(sf, 0, sf.length)).containsExactly(4, 4);
        assertThat(new String(sf, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("basetop!");
        assertThat(sf[8] & 0xFF).isEqualTo(0xC1).isEqualTo(sf[sf.length - 1] & 0xFF);
        assertThat(frames.get(0)).startsWith("900K:");
    }

    @Test
    void anUpperLayerWithoutTheBaseIsNotAPictureStart() {
        byte[] l1 = {(byte) 0xAC, 0x05, 0x02, 0x00, 'u'}; // SID 1 first: the base layer was lost
        push(l1, 100, true, true);
        assertThat(frames).isEmpty();
        assertThat(d.needsKeyframe()).isTrue();
    }

    @Test
    void theKeyframeSizeIsReadFromTheUncompressedHeaderWithoutAScalabilityStructure() {
        // profile 0 keyframe: marker 2, profile 0, show_existing 0, type 0, show 1, error_res 0, sync code,
        // color space 0 + range 0, then width-1 = 639, height-1 = 359
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        String header = "10" + "0" + "0" + "0" + "0" + "1" + "0" + "010010011000001101000010" + "000" + "0"
                + String.format("%16s", Integer.toBinaryString(639)).replace(' ', '0')
                + String.format("%16s", Integer.toBinaryString(359)).replace(' ', '0');
        for (int i = 0; i < header.length(); i += 8) {
            String byteBits = (header.substring(i, Math.min(header.length(), i + 8)) + "0000000").substring(0, 8);
            h.write(Integer.parseInt(byteBits, 2));
        }
        byte[] frame = h.toByteArray();
        assertThat(Vp9Depacketizer.keyframeSize(frame, 0, frame.length)).isEqualTo(640L << 16 | 360);
        assertThat(Vp9Depacketizer.keyframeSize(frame, 0, 5)).as("cut short").isZero();
        byte[] inter = frame.clone();
        inter[0] |= 0x04; // frame_type 1
        assertThat(Vp9Depacketizer.keyframeSize(inter, 0, inter.length)).isZero();
        byte[] p = new byte[2 + frame.length];
        p[0] = (byte) 0x8C;
        p[1] = 0x05;
        System.arraycopy(frame, 0, p, 2, frame.length);
        push(p, 7, true, false);
        assertThat(sizes.get(0)).containsExactly(640, 360);
    }

    @Test
    void reorderedPacketsAcrossTheSequenceAndTimestampWrapGiveEveryPicture() {
        List<byte[]> rtp = new ArrayList<>();
        int seq = 65_530;
        long ts = 0xFFFF_FFFFL - 6_000;
        for (int pic = 0; pic < 6; pic++) {
            for (int part = 0; part < 3; part++) {
                byte[] payload = packet(pic > 0, part == 0, part == 2, pic + "" + part);
                byte[] p = new byte[12 + payload.length];
                p[0] = (byte) 0x80;
                p[1] = (byte) ((part == 2 ? 0x80 : 0) | 98);
                p[2] = (byte) (seq >>> 8);
                p[3] = (byte) seq;
                long t = ts & 0xFFFF_FFFFL;
                p[4] = (byte) (t >>> 24);
                p[5] = (byte) (t >>> 16);
                p[6] = (byte) (t >>> 8);
                p[7] = (byte) t;
                System.arraycopy(payload, 0, p, 12, payload.length);
                rtp.add(p);
                seq = (seq + 1) & 0xFFFF;
            }
            ts += 3_000;
        }
        java.util.Collections.swap(rtp, 4, 6);
        java.util.Collections.swap(rtp, 9, 10);
        ReorderBuffer reorder = new ReorderBuffer(64, 100, (p, len, at, lost) -> d.push(p, 12, len - 12,
                ((p[4] & 0xFFL) << 24) | ((p[5] & 0xFFL) << 16) | ((p[6] & 0xFFL) << 8) | (p[7] & 0xFFL),
                (p[1] & 0x80) != 0, lost));
        for (byte[] p : rtp) {
            reorder.push(p, 0, p.length, 0);
        }
        reorder.flush();
        assertThat(frames).extracting(f -> f.substring(f.indexOf(':') + 1))
                .containsExactly("000102", "101112", "202122", "303132", "404142", "505152");
        assertThat(frames).extracting(f -> f.substring(0, f.indexOf(':')))
                .containsExactly("4294961295K", "4294964295", "4294967295", "2999", "5999", "8999");
        assertThat(d.framesDropped()).isZero();
    }
}
