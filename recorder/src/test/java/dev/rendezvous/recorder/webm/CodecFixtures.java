package dev.rendezvous.recorder.webm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.webm.MediaFixtures.Coded;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * VP9 and H.264 for the recorder's tests, made by the system's FFmpeg (libvpx-vp9 in real-time mode, libx264
 * constrained baseline with zero latency, as browsers send them), and cut into RTP the way RFC 9628 and
 * RFC 6184 (packetization-mode 1) say, with RTP timestamps shifted by {@code tsOffset} (32-bit wrap).
 */
public final class CodecFixtures {

    public static final int VP9_PT = 98;
    public static final int H264_PT = 102;
    public static final int WIDTH = 320;
    /** Not a multiple of 16: H.264 codes 192 lines and crops 12 (the SPS's cropping window). */
    public static final int HEIGHT = 180;

    /** One H.264 access unit: its NAL units (header byte first, no start codes). */
    public record AccessUnit(long rtpTimestamp, boolean keyframe, List<byte[]> nals) {}

    private CodecFixtures() {
    }

    /** {@code seconds} of a 320×180 test pattern at 15 fps, VP9 profile 0, a keyframe every {@code gop} frames. */
    public static List<Coded> vp9(Path dir, int seconds, int gop) throws Exception {
        Path ivf = dir.resolve("video-vp9.ivf");
        MediaFixtures.run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=15", "-t",
                String.valueOf(seconds), "-pix_fmt", "yuv420p", "-c:v", "libvpx-vp9", "-g", String.valueOf(gop),
                "-b:v", "300k", "-deadline", "realtime", "-cpu-used", "8", "-auto-alt-ref", "0", "-lag-in-frames", "0",
                ivf.toString());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ivf)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(b.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("DKIF");
        assertThat(new String(b.array(), 8, 4, StandardCharsets.US_ASCII)).isEqualTo("VP90");
        int headerLength = b.getShort(6);
        int rate = b.getInt(16);
        int scale = b.getInt(20);
        b.position(headerLength);
        List<Coded> frames = new ArrayList<>();
        while (b.remaining() >= 12) {
            int size = b.getInt();
            long pts = b.getLong();
            byte[] data = new byte[size];
            b.get(data);
            // profile 0 uncompressed header: frame marker, profile bits, show_existing_frame 0, frame_type 0 = key
            boolean key = (data[0] & 0xCC) == 0x80;
            frames.add(new Coded(pts * 90_000L * scale / rate, key, data));
        }
        return frames;
    }

    /**
     * {@code seconds} of a 320×180 test pattern at 15 fps, H.264 constrained baseline, two slices per picture,
     * SPS and PPS before every IDR, an IDR every {@code gop} frames: the Annex B stream cut into access units.
     */
    public static List<AccessUnit> h264(Path dir, int seconds, int gop) throws Exception {
        Path raw = dir.resolve("video.264");
        MediaFixtures.run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=15", "-t",
                String.valueOf(seconds), "-pix_fmt", "yuv420p", "-c:v", "libx264", "-profile:v", "baseline",
                "-preset", "ultrafast", "-tune", "zerolatency", "-threads", "2", "-g", String.valueOf(gop),
                "-keyint_min", String.valueOf(gop), "-sc_threshold", "0", "-bf", "0", "-b:v", "300k", "-f", "h264",
                raw.toString());
        byte[] s = Files.readAllBytes(raw);
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 2 < s.length; i++) {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
                if (start >= 0) {
                    nals.add(trimZeros(s, start, i));
                }
                start = i + 3;
                i += 2;
            }
        }
        nals.add(trimZeros(s, start, s.length));
        List<AccessUnit> units = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean sawSlice = false;
        for (byte[] n : nals) {
            int type = n[0] & 0x1F;
            boolean firstSlice = (type == 1 || type == 5) && (n[1] & 0x80) != 0;
            boolean opens = type == 6 || type == 7 || type == 8 || type == 9 || firstSlice;
            if (opens && sawSlice) {
                units.add(unit(units.size(), current));
                current = new ArrayList<>();
                sawSlice = false;
            }
            current.add(n);
            sawSlice |= type == 1 || type == 5;
        }
        units.add(unit(units.size(), current));
        return units;
    }

    private static AccessUnit unit(int index, List<byte[]> nals) {
        boolean idr = nals.stream().anyMatch(n -> (n[0] & 0x1F) == 5);
        return new AccessUnit(index * 6_000L, idr, List.copyOf(nals)); // 15 fps, no B-frames: decode = display order
    }

    private static byte[] trimZeros(byte[] s, int from, int to) {
        while (to > from && s[to - 1] == 0) {
            to--; // the leading zero of the next 4-byte start code
        }
        return java.util.Arrays.copyOfRange(s, from, to);
    }

    /**
     * VP9 frames as RTP (RFC 9628): I with a 15-bit picture id, layer indices (one spatial and temporal layer),
     * B on a frame's first packet, E on its last (with the marker), and on keyframes V with a scalability
     * structure that tells the size. Non-flexible mode carries TL0PICIDX; flexible mode a P_DIFF of 1 instead.
     */
    public static List<byte[]> packetizeVp9(List<Coded> frames, int firstSeq, long tsOffset, int maxPayload,
                                            boolean flexible) {
        List<byte[]> out = new ArrayList<>();
        int seq = firstSeq;
        int pictureId = 0;
        int tl0 = 0;
        for (Coded f : frames) {
            boolean interPredicted = !f.keyframe();
            for (int off = 0; off < f.data().length; off += maxPayload) {
                int n = Math.min(maxPayload, f.data().length - off);
                boolean first = off == 0;
                boolean last = off + n >= f.data().length;
                ByteArrayOutputStream d = new ByteArrayOutputStream();
                boolean ss = first && f.keyframe();
                d.write(0x80 | (interPredicted ? 0x40 : 0) | 0x20 | (flexible ? 0x10 : 0) | (first ? 0x08 : 0)
                        | (last ? 0x04 : 0) | (ss ? 0x02 : 0));
                d.write(0x80 | (pictureId >>> 8));
                d.write(pictureId);
                d.write(0x00); // TID 0, U 0, SID 0, D 0
                if (flexible) {
                    if (interPredicted) {
                        d.write(1 << 1); // P_DIFF 1, N 0
                    }
                } else {
                    d.write(tl0);
                }
                if (ss) {
                    d.write(0x18); // N_S 0, Y, G
                    d.write(WIDTH >>> 8);
                    d.write(WIDTH);
                    d.write(HEIGHT >>> 8);
                    d.write(HEIGHT);
                    d.write(1); // N_G: one picture group of one reference
                    d.write(0x04);
                    d.write(1);
                }
                d.write(f.data(), off, n);
                byte[] payload = d.toByteArray();
                byte[] p = new byte[12 + payload.length];
                MediaFixtures.header(p, VP9_PT, seq++ & 0xFFFF, (f.rtpTimestamp() + tsOffset) & 0xFFFF_FFFFL, last,
                        0x3333);
                System.arraycopy(payload, 0, p, 12, payload.length);
                out.add(p);
            }
            pictureId = (pictureId + 1) & 0x7FFF;
            tl0 = (tl0 + 1) & 0xFF;
        }
        return out;
    }

    /**
     * H.264 access units as RTP (RFC 6184, packetization-mode 1): consecutive NAL units that fit together go
     * in one STAP-A (SPS, PPS, SEI), a NAL unit of up to {@code maxPayload} bytes alone, a larger one as FU-A
     * fragments; the marker on the access unit's last packet.
     */
    public static List<byte[]> packetizeH264(List<AccessUnit> units, int firstSeq, long tsOffset, int maxPayload) {
        List<byte[]> out = new ArrayList<>();
        int[] seq = {firstSeq};
        for (AccessUnit u : units) {
            long ts = (u.rtpTimestamp() + tsOffset) & 0xFFFF_FFFFL;
            List<byte[]> payloads = new ArrayList<>();
            List<byte[]> aggregate = new ArrayList<>();
            int aggregateSize = 1;
            for (byte[] n : u.nals()) {
                if (n.length + 2 + aggregateSize <= maxPayload && n.length < 200) {
                    aggregate.add(n);
                    aggregateSize += 2 + n.length;
                    continue;
                }
                flushAggregate(payloads, aggregate);
                aggregateSize = 1;
                if (n.length <= maxPayload) {
                    payloads.add(n);
                } else {
                    for (int off = 1; off < n.length; off += maxPayload - 2) {
                        int len = Math.min(maxPayload - 2, n.length - off);
                        byte[] fu = new byte[2 + len];
                        fu[0] = (byte) ((n[0] & 0xE0) | 28);
                        fu[1] = (byte) ((off == 1 ? 0x80 : 0) | (off + len >= n.length ? 0x40 : 0) | (n[0] & 0x1F));
                        System.arraycopy(n, off, fu, 2, len);
                        payloads.add(fu);
                    }
                }
            }
            flushAggregate(payloads, aggregate);
            for (int i = 0; i < payloads.size(); i++) {
                byte[] payload = payloads.get(i);
                byte[] p = new byte[12 + payload.length];
                MediaFixtures.header(p, H264_PT, seq[0]++ & 0xFFFF, ts, i == payloads.size() - 1, 0x4444);
                System.arraycopy(payload, 0, p, 12, payload.length);
                out.add(p);
            }
        }
        return out;
    }

    private static void flushAggregate(List<byte[]> payloads, List<byte[]> aggregate) {
        if (aggregate.size() == 1) {
            payloads.add(aggregate.get(0));
        } else if (aggregate.size() > 1) {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            s.write(24);
            for (byte[] n : aggregate) {
                s.write(n.length >>> 8);
                s.write(n.length);
                s.write(n, 0, n.length);
            }
            payloads.add(s.toByteArray());
        }
        aggregate.clear();
    }
}
