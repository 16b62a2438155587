package dev.rendezvous.forwarder.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the forwarder needs from a browser's session description (RFC 8866 syntax, JSEP/Unified Plan
 * semantics): per m-section its mid, direction, codecs, header extensions, SSRCs, and the ICE and DTLS
 * parameters (at media level as Chromium writes them, or at session level as Firefox does).
 *
 * <p>{@link #parse} reads one from text ({@code SdpParser}, which says what it refuses and how it bounds the cost
 * of a hostile offer); {@link SdpNegotiator#requireTransport} refuses one without ICE credentials or a SHA-256
 * fingerprint.
 */
public record SessionDescription(List<Media> media, List<String> bundleMids) {

    public static final int MAX_LENGTH = 256 * 1024;
    /** Two sections a participant: a 100-person room's subscribe answer (with room for screens) fits. */
    public static final int MAX_MEDIA = 256;
    /** Simulcast layers per m-section at most (browsers send three). */
    public static final int MAX_RIDS = 4;

    public SessionDescription {
        media = List.copyOf(media);
        bundleMids = List.copyOf(bundleMids);
    }

    /** A codec of an m-section: payload type, name (as written, e.g. {@code VP8}), clock rate, channels, fmtp and rtcp-fb lines. */
    public record Codec(int payloadType, String name, int clockRate, int channels, String fmtp, List<String> feedback) {
        public Codec {
            feedback = List.copyOf(feedback);
        }

        public boolean is(String codecName) {
            return name.equalsIgnoreCase(codecName);
        }

        /** The {@code apt=} of an RTX codec's fmtp, or -1. */
        public int associatedPayloadType() {
            if (fmtp == null) {
                return -1;
            }
            for (String part : fmtp.split(";")) {
                String p = part.trim();
                if (p.startsWith("apt=")) {
                    try {
                        return Integer.parseInt(p.substring(4).trim());
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
            return -1;
        }

        /** A parameter of the fmtp line ({@code profile-id}, {@code packetization-mode}…), or null. */
        public String fmtpParameter(String key) {
            if (fmtp == null) {
                return null;
            }
            for (String part : fmtp.split(";")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(key)) {
                    return p.substring(eq + 1).trim();
                }
            }
            return null;
        }
    }

    public enum Direction {
        SENDRECV, SENDONLY, RECVONLY, INACTIVE;

        public String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** What the other side of an offer with this direction answers when it only receives. */
        public boolean sends() {
            return this == SENDRECV || this == SENDONLY;
        }

        public boolean receives() {
            return this == SENDRECV || this == RECVONLY;
        }
    }

    /**
     * One m-section.
     *
     * @param kind        {@code audio}, {@code video}, {@code application}, …
     * @param port        0 = rejected / stopped transceiver
     * @param ssrcs       SSRCs in order of their first {@code a=ssrc} line
     * @param fidGroups   {@code a=ssrc-group:FID media rtx} pairs as {media, rtx}
     * @param extensions  header extension id → URI
     * @param setup       {@code actpass}, {@code active}, {@code passive} or null
     * @param sendRids    the simulcast layers the client sends (RFC 8851 {@code a=rid:<id> send}, RFC 8853
     *                    {@code a=simulcast:send}), in the order {@code a=simulcast} lists them (the first
     *                    alternative of each; without {@code a=simulcast}, in {@code a=rid} order); empty when the
     *                    section is not simulcast
     */
    public record Media(
            String kind,
            int port,
            String protocol,
            String mid,
            Direction direction,
            List<Codec> codecs,
            Map<Integer, String> extensions,
            List<Long> ssrcs,
            List<long[]> fidGroups,
            String msid,
            String iceUfrag,
            String icePwd,
            String fingerprintSha256,
            String setup,
            boolean rtcpMux,
            List<String> sendRids) {

        public Media {
            codecs = List.copyOf(codecs);
            extensions = Map.copyOf(extensions);
            ssrcs = List.copyOf(ssrcs);
            fidGroups = List.copyOf(fidGroups);
            sendRids = List.copyOf(sendRids);
        }

        public boolean rejected() {
            return port == 0;
        }

        /** The id of the header extension with this URI, or -1. */
        public int extensionId(String uri) {
            for (Map.Entry<Integer, String> e : extensions.entrySet()) {
                if (e.getValue().equals(uri)) {
                    return e.getKey();
                }
            }
            return -1;
        }

        /** The primary (non-RTX) SSRC: the first of a FID group, else the first SSRC, else -1. */
        public long primarySsrc() {
            if (!fidGroups.isEmpty()) {
                return fidGroups.get(0)[0];
            }
            return ssrcs.isEmpty() ? -1 : ssrcs.get(0);
        }

        public Codec codec(int payloadType) {
            for (Codec c : codecs) {
                if (c.payloadType() == payloadType) {
                    return c;
                }
            }
            return null;
        }
    }

    /**
     * Parses a description; throws {@link SdpException} with a message fit for the client when it is unusable
     * (without {@code v=0}, without any m-line, with an m-line that has no mid, longer than {@link #MAX_LENGTH}
     * characters, more than {@link #MAX_MEDIA} m-lines…).
     */
    public static SessionDescription parse(String sdp) {
        return SdpParser.parse(sdp);
    }
}
