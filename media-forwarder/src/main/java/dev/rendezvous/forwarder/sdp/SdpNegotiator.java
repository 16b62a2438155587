package dev.rendezvous.forwarder.sdp;

import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Codec choice and checks: what the forwarder accepts of each m-section of a publish offer, the transport every
 * browser description must carry, and the codecs offered for a track that is expected but not yet published. The
 * forwarder's descriptions themselves are written by {@link ForwarderSdpWriter}.
 *
 * <p><b>Publish answers.</b> The forwarder receives only. Audio: Opus. Video: VP8 first (every browser
 * decodes it, so every subscriber can take what a publisher sends), then H.264 (packetization-mode 1,
 * constrained baseline) and VP9 profile 0 when offered — the browser sends the first codec of the answer, so
 * VP8 wins whenever it was offered. Simulcast (RFC 8853) is accepted for video sections that send
 * {@code a=rid} layers and offer the rtp-stream-id extension: the answer receives the same rids, lowest first as
 * the page lists them, and takes the rid and mid extensions so each layer's SSRC is learnt from its first
 * packets. RTX (RFC 4588) is accepted for each accepted video codec the offer pairs an {@code rtx/90000} codec
 * with ({@code apt=}): the publisher retransmits what the forwarder NACKs on its RTX SSRC, learnt from
 * {@code a=ssrc-group:FID} for a single stream and, for simulcast layers, from the repaired-rtp-stream-id
 * extension (RFC 8852; answered with the rid extension) of their first RTX packets. RED and FEC are not accepted.
 * Header extensions: the audio level
 * (RFC 6464), for the active speaker, and the transport-wide sequence number, for congestion control.
 * Feedback: {@code nack}, {@code nack pli}, {@code ccm fir}, {@code goog-remb} (the forwarder sends REMB so the
 * publisher's bitrate is bounded by what we allow) and {@code transport-cc} (the forwarder sends transport-wide
 * feedback, so the browser's own congestion control sees the uplink).
 */
public final class SdpNegotiator {

    public static final String AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** RFC 8852: the rid of a simulcast layer, in the first packets of each of its SSRCs. */
    public static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** RFC 8852: the rid of the simulcast layer an RTX packet repairs, in the first packets of each RTX SSRC. */
    public static final String REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** RFC 8843: the m-section a packet belongs to, sent with the rid (tells two simulcast tracks apart). */
    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String TRANSPORT_CC_URI =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    private static final List<String> ACCEPTED_FEEDBACK =
            List.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");

    /**
     * What a subscribe section offers for a track that is expected but not yet published (a participant who
     * joined and is still opening its camera): the codecs publish answers accept, with the payload types
     * Chromium uses. The forwarder maps the publisher's actual payload types onto these by codec name.
     */
    public static final List<Codec> EXPECTED_AUDIO = List.of(
            new Codec(111, "opus", 48_000, 2, "minptime=10;useinbandfec=1;usedtx=1", List.of()));
    public static final List<Codec> EXPECTED_VIDEO = List.of(
            new Codec(96, "VP8", 90_000, 1, null, List.of()),
            new Codec(102, "H264", 90_000, 1, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", List.of()),
            new Codec(98, "VP9", 90_000, 1, "profile-id=0", List.of()));
    /** The RTX codecs offered with {@link #EXPECTED_VIDEO} (Chromium's numbers). */
    public static final List<Codec> EXPECTED_VIDEO_RTX = List.of(
            new Codec(97, "rtx", 90_000, 1, "apt=96", List.of()),
            new Codec(103, "rtx", 90_000, 1, "apt=102", List.of()),
            new Codec(99, "rtx", 90_000, 1, "apt=98", List.of()));

    private SdpNegotiator() {}

    /**
     * What was agreed for one m-section of a publish offer.
     *
     * @param accepted     false = answered with port 0 (unsupported kind, no usable codec, or stopped)
     * @param receiving    the client sends on it (sendonly/sendrecv) — a track to forward
     * @param audioLevelId the RFC 6464 extension id, or -1
     * @param ssrc         the primary SSRC from the offer's a=ssrc lines, or -1 (learnt from packets then)
     * @param rids         the simulcast layers accepted, lowest first (the page's order), or empty: one stream
     * @param ridId        the rtp-stream-id extension id when {@code rids} is not empty, else -1
     * @param midId        the sdes:mid extension id when {@code rids} is not empty and it was offered, else -1
     * @param rtx          the RTX codecs accepted (RFC 4588: one per accepted video codec the offer pairs with
     *                     one, by {@code apt=}), or empty
     * @param rtxSsrc      the RTX SSRC of the primary one ({@code a=ssrc-group:FID}), or -1 (learnt from packets)
     * @param repairedRidId the repaired-rtp-stream-id extension id when {@code rids} and {@code rtx} are not empty
     *                     and it was offered, else -1
     */
    public record Accepted(String mid, String kind, boolean accepted, boolean receiving, List<Codec> codecs,
                           int audioLevelId, long ssrc, List<String> rids, int ridId, int midId, List<Codec> rtx,
                           long rtxSsrc, int repairedRidId) {
        public Accepted {
            codecs = List.copyOf(codecs);
            rids = List.copyOf(rids);
            rtx = List.copyOf(rtx);
        }

        /** Without RTX. */
        public Accepted(String mid, String kind, boolean accepted, boolean receiving, List<Codec> codecs,
                        int audioLevelId, long ssrc, List<String> rids, int ridId, int midId) {
            this(mid, kind, accepted, receiving, codecs, audioLevelId, ssrc, rids, ridId, midId, List.of(), -1, -1);
        }

        /** One stream, no simulcast. */
        public Accepted(String mid, String kind, boolean accepted, boolean receiving, List<Codec> codecs,
                        int audioLevelId, long ssrc) {
            this(mid, kind, accepted, receiving, codecs, audioLevelId, ssrc, List.of(), -1, -1);
        }

        public boolean simulcast() {
            return !rids.isEmpty();
        }

        public int clockRate() {
            return codecs.isEmpty() ? 90_000 : codecs.get(0).clockRate();
        }
    }

    /**
     * The RTX codecs of {@code rtx} that can go with {@code codecs}: {@code apt=} one of their payload types, their
     * own payload type none of theirs, one per associated codec.
     */
    public static List<Codec> pairedRtx(List<Codec> rtx, List<Codec> codecs) {
        List<Codec> out = new ArrayList<>();
        List<Integer> apts = new ArrayList<>();
        for (Codec r : rtx) {
            int apt = r.associatedPayloadType();
            boolean aptKnown = false;
            boolean collides = false;
            for (Codec c : codecs) {
                aptKnown |= c.payloadType() == apt;
                collides |= c.payloadType() == r.payloadType();
            }
            if (r.is("rtx") && aptKnown && !collides && !apts.contains(apt)) {
                apts.add(apt);
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    /** Checks the transport parameters every browser offer/answer must carry. */
    public static void requireTransport(SessionDescription d) {
        Media first = null;
        for (Media m : d.media()) {
            if (!m.rejected()) {
                first = m;
                break;
            }
        }
        if (first == null) {
            return; // everything stopped: nothing to connect
        }
        if (first.iceUfrag() == null || first.icePwd() == null) {
            throw new SdpException("no a=ice-ufrag/a=ice-pwd");
        }
        if (first.fingerprintSha256() == null) {
            throw new SdpException("no a=fingerprint:sha-256 (DTLS-SRTP is required)");
        }
        if (!first.protocol().toUpperCase(Locale.ROOT).contains("SAVPF") && !first.kind().equals("application")) {
            throw new SdpException("the transport must be UDP/TLS/RTP/SAVPF (DTLS-SRTP), not " + first.protocol());
        }
    }

    /** Chooses what to accept of each m-section of a publish offer. */
    public static List<Accepted> negotiatePublish(SessionDescription offer) {
        requireTransport(offer);
        List<Accepted> out = new ArrayList<>();
        for (Media m : offer.media()) {
            List<Codec> codecs = switch (m.kind()) {
                case "audio" -> pick(m, List.of("opus"));
                case "video" -> pick(m, List.of("VP8", "H264", "VP9"));
                default -> List.of();
            };
            boolean accepted = !m.rejected() && !codecs.isEmpty();
            int level = m.kind().equals("audio") ? m.extensionId(AUDIO_LEVEL_URI) : -1;
            // simulcast only where the layers can be told apart: video, with the rid extension
            int ridId = m.kind().equals("video") ? m.extensionId(RID_URI) : -1;
            boolean simulcast = accepted && ridId > 0 && !m.sendRids().isEmpty();
            List<Codec> rtx = accepted && m.kind().equals("video") ? rtxFor(m, codecs) : List.of();
            int repairedRid = simulcast && !rtx.isEmpty() ? m.extensionId(REPAIRED_RID_URI) : -1;
            out.add(new Accepted(m.mid(), m.kind(), accepted, accepted && m.direction().sends(),
                    accepted ? codecs : List.of(), accepted ? level : -1, m.primarySsrc(),
                    simulcast ? m.sendRids() : List.of(), simulcast ? ridId : -1,
                    simulcast ? m.extensionId(MID_URI) : -1, rtx, rtx.isEmpty() ? -1 : rtxSsrc(m),
                    repairedRid));
        }
        return out;
    }

    /**
     * The transport-wide sequence number extension id of a publish offer (the first usable m-section that
     * offers it: under BUNDLE every section uses the same), or -1.
     */
    public static int transportCcId(SessionDescription offer) {
        for (Media m : offer.media()) {
            int id = m.rejected() ? -1 : m.extensionId(TRANSPORT_CC_URI);
            if (id > 0) {
                return id;
            }
        }
        return -1;
    }

    /** The offered RTX codecs ({@code rtx/90000}) that repair one of the chosen codecs, as offered. */
    private static List<Codec> rtxFor(Media m, List<Codec> chosen) {
        List<Codec> rtx = new ArrayList<>();
        for (Codec c : m.codecs()) {
            if (c.is("rtx") && c.clockRate() == 90_000) {
                rtx.add(new Codec(c.payloadType(), c.name(), c.clockRate(), 1, c.fmtp(), List.of()));
            }
        }
        return pairedRtx(rtx, chosen);
    }

    /** The RTX SSRC the offer pairs with its primary SSRC ({@code a=ssrc-group:FID primary rtx}), or -1. */
    private static long rtxSsrc(Media m) {
        long primary = m.primarySsrc();
        for (long[] fid : m.fidGroups()) {
            if (fid[0] == primary) {
                return fid[1];
            }
        }
        return -1;
    }

    private static List<Codec> pick(Media m, List<String> preference) {
        List<Codec> chosen = new ArrayList<>();
        for (String name : preference) {
            for (Codec c : m.codecs()) {
                if (!c.is(name) || !usable(c)) {
                    continue;
                }
                List<String> fb = new ArrayList<>();
                for (String f : c.feedback()) {
                    if (ACCEPTED_FEEDBACK.contains(f)) {
                        fb.add(f);
                    }
                }
                String fmtp = c.is("opus") ? opusReceiverParameters(c.fmtp()) : c.fmtp();
                chosen.add(new Codec(c.payloadType(), c.name(), c.clockRate(), c.channels(), fmtp, fb));
                break; // one payload type per codec name is enough
            }
        }
        return chosen;
    }

    /**
     * The Opus parameters of a publish answer: the publisher's, with in-band FEC and DTX asked for (RFC 7587: in an
     * answer they say what this receiver prefers the sender to do). FEC lets a decoder rebuild a lost packet from the
     * next; DTX sends one packet per 400 ms of silence instead of 50 a second, which the forwarder, the subscribers
     * and the recorder (timed by RTP timestamps) take as they come.
     */
    static String opusReceiverParameters(String offered) {
        StringBuilder b = new StringBuilder(offered == null ? "" : offered.trim());
        for (String p : List.of("useinbandfec=1", "usedtx=1")) {
            String name = p.substring(0, p.indexOf('='));
            if (fmtpValue(b.toString(), name) == null) {
                if (!b.isEmpty()) {
                    b.append(';');
                }
                b.append(p);
            }
        }
        return b.toString();
    }

    private static String fmtpValue(String fmtp, String name) {
        for (String kv : fmtp.split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return kv.substring(eq + 1).trim();
            }
        }
        return null;
    }

    private static boolean usable(Codec c) {
        if (c.is("H264")) {
            String mode = c.fmtpParameter("packetization-mode");
            String profile = c.fmtpParameter("profile-level-id");
            return "1".equals(mode) && profile != null && profile.toLowerCase(Locale.ROOT).startsWith("42");
        }
        if (c.is("VP9")) {
            String profile = c.fmtpParameter("profile-id");
            return profile == null || profile.equals("0");
        }
        return true;
    }
}
