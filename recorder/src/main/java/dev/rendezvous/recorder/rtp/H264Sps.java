package dev.rendezvous.recorder.rtp;

import java.io.ByteArrayOutputStream;

/**
 * What the recorder needs from H.264 sequence parameter sets (ITU-T H.264 section 7.3.2.1.1): the displayed
 * size (macroblocks, field coding and the cropping window), and the {@code avcC} record that Matroska and MP4
 * carry as the decoder's configuration.
 */
public final class H264Sps {

    /** The cropped picture size in pixels. */
    public record Size(int width, int height) {}

    private H264Sps() {
    }

    /** The size an SPS NAL unit {@code b[off, off + len)} (its header byte included) describes, or null. */
    public static Size size(byte[] b, int off, int len) {
        if (len < 4 || (b[off] & 0x1F) != 7) {
            return null;
        }
        byte[] rbsp = unescape(b, off + 1, len - 1);
        BitReader r = new BitReader(rbsp, 0, rbsp.length);
        int profile = r.bits(8);
        r.bits(16); // constraint flags, level_idc
        r.ue(); // seq_parameter_set_id
        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        if (switch (profile) { case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true; default -> false; }) {
            chromaFormat = r.ue();
            if (chromaFormat == 3) {
                separateColourPlanes = r.bit() == 1;
            }
            r.ue(); // bit_depth_luma_minus8
            r.ue(); // bit_depth_chroma_minus8
            r.bit(); // qpprime_y_zero_transform_bypass_flag
            if (r.bit() == 1) { // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
                    if (r.bit() == 1) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(); // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            r.bit(); // delta_pic_order_always_zero_flag
            r.se(); // offset_for_non_ref_pic
            r.se(); // offset_for_top_to_bottom_field
            int cycle = r.ue();
            for (int i = 0; i < cycle && !r.overrun(); i++) {
                r.se();
            }
        }
        r.ue(); // max_num_ref_frames
        r.bit(); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = r.ue() + 1L;
        long heightMapUnits = r.ue() + 1L;
        int frameMbsOnly = r.bit();
        if (frameMbsOnly == 0) {
            r.bit(); // mb_adaptive_frame_field_flag
        }
        r.bit(); // direct_8x8_inference_flag
        long cropLeft = 0;
        long cropRight = 0;
        long cropTop = 0;
        long cropBottom = 0;
        if (r.bit() == 1) { // frame_cropping_flag
            cropLeft = r.ue();
            cropRight = r.ue();
            cropTop = r.ue();
            cropBottom = r.ue();
        }
        if (r.overrun()) {
            return null;
        }
        int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
        int cropUnitX = chromaArrayType == 0 ? 1 : (chromaArrayType == 3 ? 1 : 2);
        int cropUnitY = (chromaArrayType == 0 ? 1 : (chromaArrayType == 1 ? 2 : 1)) * (2 - frameMbsOnly);
        long width = widthMbs * 16 - cropUnitX * (cropLeft + cropRight);
        long height = (2 - frameMbsOnly) * heightMapUnits * 16 - cropUnitY * (cropTop + cropBottom);
        if (width <= 0 || height <= 0 || width > 16_384 || height > 16_384) {
            return null;
        }
        return new Size((int) width, (int) height);
    }

    /**
     * The AVCDecoderConfigurationRecord for one SPS and one PPS (NAL units with their header bytes), with
     * 4-byte NAL unit lengths; with {@code sps == null}, one without parameter sets (they are then in-band only).
     */
    public static byte[] avcC(byte[] sps, byte[] pps) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1); // configurationVersion
        out.write(sps == null ? 0x42 : sps[1]); // AVCProfileIndication (constrained baseline without an SPS)
        out.write(sps == null ? 0xE0 : sps[2]); // profile_compatibility
        out.write(sps == null ? 0x1F : sps[3]); // AVCLevelIndication
        out.write(0xFC | 3); // reserved bits, lengthSizeMinusOne = 3
        if (sps == null || pps == null) {
            out.write(0xE0); // no SPS
            out.write(0); // no PPS
            return out.toByteArray();
        }
        out.write(0xE0 | 1);
        out.write(sps.length >>> 8);
        out.write(sps.length);
        out.write(sps, 0, sps.length);
        out.write(1);
        out.write(pps.length >>> 8);
        out.write(pps.length);
        out.write(pps, 0, pps.length);
        return out.toByteArray();
    }

    /** The RBSP of a NAL unit's payload: every emulation prevention byte (00 00 03) taken out. */
    static byte[] unescape(byte[] b, int off, int len) {
        byte[] out = new byte[len];
        int n = 0;
        int zeros = 0;
        for (int i = off; i < off + len; i++) {
            int v = b[i] & 0xFF;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            zeros = v == 0 ? zeros + 1 : 0;
            out[n++] = (byte) v;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static void skipScalingList(BitReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && !r.overrun(); j++) {
            if (next != 0) {
                next = (last + r.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }
}
