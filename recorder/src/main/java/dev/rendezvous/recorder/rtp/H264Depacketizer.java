package dev.rendezvous.recorder.rtp;

import java.util.Arrays;

/**
 * Reassembles H.264 access units from RTP payloads in sequence order (RFC 6184, packetization-mode 1: single
 * NAL unit packets, STAP-A and FU-A; all packets of an access unit share its RTP timestamp, the marker ends it)
 * into the sample format of Matroska's {@code V_MPEG4/ISO/AVC} and MP4: each NAL unit preceded by its length in
 * 4 bytes. Interleaved-mode packets (STAP-B, MTAP, FU-B) break the access unit they are in.
 *
 * <p>An access unit that lost a packet (an FU-A with a hole among them) is dropped, and so is everything after
 * it until the next keyframe: an access unit with an IDR slice, once an SPS and a PPS are known. Parameter sets
 * stay in the samples where the sender put them (browsers repeat them before every IDR), so a resolution change
 * mid-stream decodes; {@link #codecPrivate()} is the {@code avcC} record (ISO/IEC 14496-15 5.3.3.1) of the
 * SPS and PPS in effect at the first keyframe. Width and height come from the SPS (cropping applied).
 *
 * <p>Samples go out in decoding order with their RTP (presentation) timestamps, which is right only without
 * B-frames: the forwarder accepts the baseline profile only ({@code profile-level-id} 42…), which has none.
 */
public final class H264Depacketizer extends FrameAssembler {

    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    private boolean idr;
    private boolean slice;
    private boolean fuOpen;
    private int fuStart;
    private byte[] sps;
    private byte[] pps;
    private H264Sps.Size size;
    private byte[] avcC;

    public H264Depacketizer(FrameSink sink) {
        super(sink);
    }

    @Override
    public void push(byte[] b, int off, int len, long rtpTimestamp, boolean marker, boolean lostBefore) {
        if (newFrame(rtpTimestamp, lostBefore)) { // the frame is an access unit
            open(rtpTimestamp, startsAccessUnit(b, off, len), lostBefore);
            idr = false;
            slice = false;
            fuOpen = false;
        }
        payload(b, off, len);
        if (marker) {
            finish();
        }
    }

    @Override
    public byte[] codecPrivate() {
        return avcC == null ? null : avcC.clone();
    }

    private void payload(byte[] b, int off, int len) {
        if (len < 1) {
            broken = true;
            return;
        }
        int type = b[off] & 0x1F;
        if (type >= 1 && type <= 23) {
            broken |= fuOpen; // a fragmented unit without its end
            fuOpen = false;
            nal(b, off, len);
        } else if (type == STAP_A) {
            broken |= fuOpen;
            fuOpen = false;
            int p = off + 1;
            int end = off + len;
            while (p < end) {
                int size = p + 2 <= end ? ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF) : -1;
                if (size <= 0 || p + 2 + size > end) {
                    broken = true;
                    return;
                }
                nal(b, p + 2, size);
                p += 2 + size;
            }
        } else if (type == FU_A && len >= 2) {
            fragment(b, off, len);
        } else {
            broken = true; // not packetization-mode 1
        }
    }

    private void fragment(byte[] b, int off, int len) {
        int header = b[off + 1] & 0xFF;
        boolean start = (header & 0x80) != 0;
        boolean end = (header & 0x40) != 0;
        if (start) {
            broken |= fuOpen;
            fuOpen = true;
            fuStart = frame.length();
            byte nalHeader = (byte) ((b[off] & 0xE0) | (header & 0x1F));
            if (!frame.appendLength(0) || !frame.appendByte(nalHeader)) {
                broken = true;
            }
        } else if (!fuOpen) {
            broken = true; // a fragment whose start was lost
            return;
        }
        if (!frame.append(b, off + 2, len - 2)) {
            broken = true;
        }
        if (end && !broken) {
            fuOpen = false;
            int nalLength = frame.length() - fuStart - 4;
            byte[] u = frame.bytes();
            u[fuStart] = (byte) (nalLength >>> 24);
            u[fuStart + 1] = (byte) (nalLength >>> 16);
            u[fuStart + 2] = (byte) (nalLength >>> 8);
            u[fuStart + 3] = (byte) nalLength;
            complete(u, fuStart + 4, nalLength);
        }
    }

    private void nal(byte[] b, int off, int len) {
        if (!frame.appendLength(len) || !frame.append(b, off, len)) {
            broken = true;
            return;
        }
        complete(b, off, len);
    }

    /** A whole NAL unit {@code b[off, off + len)} is in the access unit. */
    private void complete(byte[] b, int off, int len) {
        switch (b[off] & 0x1F) {
            case 1 -> slice = true;
            case 5 -> {
                slice = true;
                idr = true;
            }
            case 7 -> {
                H264Sps.Size s = H264Sps.size(b, off, len);
                if (s != null) {
                    sps = Arrays.copyOfRange(b, off, off + len);
                    size = s;
                }
            }
            case 8 -> pps = Arrays.copyOfRange(b, off, off + len);
            default -> {
                // SEI, access unit delimiters and the like go along as they are
            }
        }
    }

    private void finish() {
        assembling = false;
        if (broken || fuOpen || !slice) {
            fuOpen = false;
            drop();
            return;
        }
        boolean keyframe = idr && sps != null && pps != null;
        if (!decodable(keyframe)) {
            return;
        }
        if (keyframe && avcC == null) {
            avcC = H264Sps.avcC(sps, pps);
        }
        emit(keyframe, frame.bytes(), frame.length(), keyframe ? size.width() : 0, keyframe ? size.height() : 0);
    }

    /**
     * Whether a payload can be the first of an access unit: it starts with an SEI, a parameter set or a
     * delimiter, or with the first slice of a picture (first_mb_in_slice = 0, the ue(v) code "1").
     */
    static boolean startsAccessUnit(byte[] b, int off, int len) {
        if (len < 1) {
            return false;
        }
        int type = b[off] & 0x1F;
        int nalType;
        int next;
        if (type == STAP_A) {
            if (len < 4) {
                return false;
            }
            nalType = b[off + 3] & 0x1F;
            next = off + 4;
        } else if (type == FU_A) {
            if (len < 3 || (b[off + 1] & 0x80) == 0) {
                return false;
            }
            nalType = b[off + 1] & 0x1F;
            next = off + 2;
        } else {
            nalType = type;
            next = off + 1;
        }
        if (nalType == 6 || nalType == 7 || nalType == 8 || nalType == 9) {
            return true;
        }
        return (nalType == 1 || nalType == 5) && next < off + len && (b[next] & 0x80) != 0;
    }
}
