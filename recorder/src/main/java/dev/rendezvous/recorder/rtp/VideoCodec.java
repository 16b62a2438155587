package dev.rendezvous.recorder.rtp;

import java.util.Locale;

/** The video codecs the recorder depacketises, by their SDP (rtpmap) names. */
public enum VideoCodec {
    VP8, VP9, H264;

    /** The codec of an SDP codec name ({@code vp8}, {@code VP9}, {@code H264}: any case), or null for others. */
    public static VideoCodec ofSdpName(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "VP8" -> VP8;
            case "VP9" -> VP9;
            case "H264" -> H264;
            default -> null;
        };
    }

    /** A depacketiser for this codec that hands complete, decodable frames to {@code sink}. */
    public VideoDepacketizer depacketizer(VideoDepacketizer.FrameSink sink) {
        return switch (this) {
            case VP8 -> new Vp8Depacketizer(sink);
            case VP9 -> new Vp9Depacketizer(sink);
            case H264 -> new H264Depacketizer(sink);
        };
    }
}
