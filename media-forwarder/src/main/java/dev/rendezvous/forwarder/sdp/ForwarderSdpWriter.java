package dev.rendezvous.forwarder.sdp;

import static dev.rendezvous.forwarder.sdp.SdpNegotiator.AUDIO_LEVEL_URI;
import static dev.rendezvous.forwarder.sdp.SdpNegotiator.MID_URI;
import static dev.rendezvous.forwarder.sdp.SdpNegotiator.REPAIRED_RID_URI;
import static dev.rendezvous.forwarder.sdp.SdpNegotiator.RID_URI;
import static dev.rendezvous.forwarder.sdp.SdpNegotiator.TRANSPORT_CC_URI;
import static dev.rendezvous.forwarder.sdp.SdpNegotiator.pairedRtx;

import dev.rendezvous.forwarder.sdp.SdpNegotiator.Accepted;
import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import dev.rendezvous.forwarder.sdp.SessionDescription.Direction;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.util.List;

/**
 * The forwarder's descriptions as SDP text: its answer to a publish offer, from what {@link SdpNegotiator} accepted
 * of it (see there for what that is), and its offer on a subscribe PeerConnection. Both are ICE-lite, with the
 * forwarder's credentials, DTLS fingerprint and host candidates ({@link LocalTransport}).
 *
 * <p><b>Subscribe offers.</b> One m-section per remote track, sendonly, carrying exactly the codecs (and
 * payload types) the publisher was answered with, so packets are forwarded without payload-type rewriting;
 * the forwarder's own SSRC for the track in {@code a=ssrc}; one header extension, the transport-wide sequence
 * number (id {@value #SUBSCRIBE_TRANSPORT_CC_ID}, with {@code transport-cc} feedback): the forwarder replaces
 * a forwarded packet's extension block by that element alone, numbered per subscribe connection. A video
 * section whose codecs came with RTX in the publisher's answer (or an expected track's,
 * {@link SdpNegotiator#EXPECTED_VIDEO_RTX}) offers those RTX payload types too, with a second SSRC of the
 * forwarder's own in {@code a=ssrc-group:FID}: the forwarder answers the subscriber's NACKs on it, RTX-wrapped,
 * when the subscriber's answer kept RTX (else on the media SSRC, as without RTX). A removed track's section
 * stays, inactive, until a new track of its kind takes it over ({@code SubscribeNegotiator} reuses such
 * sections, so the offer grows only with the live tracks).
 */
public final class ForwarderSdpWriter {

    /** The extension id subscribe offers give the transport-wide sequence number (the forwarder rewrites it in). */
    public static final int SUBSCRIBE_TRANSPORT_CC_ID = 3;
    private static final List<String> SUBSCRIBER_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "transport-cc");

    private ForwarderSdpWriter() {}

    /**
     * The forwarder's ICE-lite and DTLS parameters for one PeerConnection, and its host candidates: UDP on
     * {@code port}, and passive ICE-TCP (RFC 6544) on {@code tcpPort} unless that is -1.
     */
    public record LocalTransport(String ufrag, String pwd, String fingerprintSha256, String ip, int port,
                                 int tcpPort) {
        /** Without ICE-TCP. */
        public LocalTransport(String ufrag, String pwd, String fingerprintSha256, String ip, int port) {
            this(ufrag, pwd, fingerprintSha256, ip, port, -1);
        }
    }

    /**
     * One m-section of a subscribe offer. {@code active=false} keeps a removed track's mid, inactive. {@code rtx}:
     * RTX codecs offered with {@code codecs} (those whose {@code apt=} is one of them are written), sent on
     * {@code rtxSsrc}.
     */
    public record Slot(String mid, String kind, boolean active, List<Codec> codecs, List<Codec> rtx, long ssrc,
                       long rtxSsrc, String streamId, String trackId) {
        public Slot {
            codecs = List.copyOf(codecs);
            rtx = pairedRtx(rtx, codecs);
        }

        /** Without RTX. */
        public Slot(String mid, String kind, boolean active, List<Codec> codecs, long ssrc, String streamId,
                    String trackId) {
            this(mid, kind, active, codecs, List.of(), ssrc, -1, streamId, trackId);
        }
    }

    /** The forwarder's answer to a publish offer: recvonly for what it takes, port 0 for the rest. */
    public static String writePublishAnswer(SessionDescription offer, List<Accepted> accepted, LocalTransport t,
                                            long sessionId) {
        StringBuilder b = header(sessionId, 1, t);
        bundle(b, accepted.stream().filter(Accepted::accepted).map(Accepted::mid).toList());
        b.append("a=msid-semantic: WMS\r\n");
        for (int i = 0; i < accepted.size(); i++) {
            Accepted a = accepted.get(i);
            Media m = offer.media().get(i);
            if (!a.accepted()) {
                rejected(b, m.kind(), m.protocol(), m.mid(), m);
                continue;
            }
            mline(b, a.kind(), t, a.codecs(), a.rtx());
            transport(b, t, "passive");
            b.append("a=mid:").append(a.mid()).append("\r\n");
            if (a.audioLevelId() > 0) {
                b.append("a=extmap:").append(a.audioLevelId()).append(' ').append(AUDIO_LEVEL_URI).append("\r\n");
            }
            int transportCc = m.extensionId(TRANSPORT_CC_URI);
            if (transportCc > 0) {
                b.append("a=extmap:").append(transportCc).append(' ').append(TRANSPORT_CC_URI).append("\r\n");
            }
            if (a.simulcast()) {
                if (a.midId() > 0) {
                    b.append("a=extmap:").append(a.midId()).append(' ').append(MID_URI).append("\r\n");
                }
                b.append("a=extmap:").append(a.ridId()).append(' ').append(RID_URI).append("\r\n");
                if (a.repairedRidId() > 0) {
                    b.append("a=extmap:").append(a.repairedRidId()).append(' ').append(REPAIRED_RID_URI).append("\r\n");
                }
            }
            Direction d = m.direction().sends() ? Direction.RECVONLY : Direction.INACTIVE;
            b.append("a=").append(d.attribute()).append("\r\n");
            b.append("a=rtcp-mux\r\n");
            codecs(b, a.codecs(), null);
            rtxCodecs(b, a.rtx());
            if (a.simulcast()) {
                a.rids().forEach(rid -> b.append("a=rid:").append(rid).append(" recv\r\n"));
                b.append("a=simulcast:recv ").append(String.join(";", a.rids())).append("\r\n");
            }
            candidates(b, t);
        }
        return b.toString();
    }

    /** The forwarder's offer on a subscribe PeerConnection. */
    public static String writeSubscribeOffer(List<Slot> slots, LocalTransport t, long sessionId, long version) {
        StringBuilder b = header(sessionId, version, t);
        bundle(b, slots.stream().map(Slot::mid).toList());
        b.append("a=msid-semantic: WMS *\r\n");
        for (Slot s : slots) {
            boolean rtx = s.active() && !s.rtx().isEmpty() && s.rtxSsrc() >= 0;
            mline(b, s.kind(), t, s.codecs(), rtx ? s.rtx() : List.of());
            transport(b, t, "actpass");
            b.append("a=mid:").append(s.mid()).append("\r\n");
            b.append("a=extmap:").append(SUBSCRIBE_TRANSPORT_CC_ID).append(' ').append(TRANSPORT_CC_URI).append("\r\n");
            if (s.active()) {
                b.append("a=sendonly\r\n");
                b.append("a=msid:").append(s.streamId()).append(' ').append(s.trackId()).append("\r\n");
            } else {
                b.append("a=inactive\r\n");
            }
            b.append("a=rtcp-mux\r\n");
            codecs(b, s.codecs(), SUBSCRIBER_FEEDBACK);
            if (rtx) {
                rtxCodecs(b, s.rtx());
                b.append("a=ssrc-group:FID ").append(s.ssrc()).append(' ').append(s.rtxSsrc()).append("\r\n");
            }
            if (s.active()) {
                ssrcLines(b, s.ssrc(), s);
                if (rtx) {
                    ssrcLines(b, s.rtxSsrc(), s);
                }
            }
            candidates(b, t);
        }
        return b.toString();
    }

    private static void ssrcLines(StringBuilder b, long ssrc, Slot s) {
        b.append("a=ssrc:").append(ssrc).append(" cname:").append(s.streamId()).append("\r\n");
        b.append("a=ssrc:").append(ssrc).append(" msid:").append(s.streamId()).append(' ').append(s.trackId())
                .append("\r\n");
    }

    private static StringBuilder header(long sessionId, long version, LocalTransport t) {
        StringBuilder b = new StringBuilder(2048);
        b.append("v=0\r\n");
        b.append("o=rendezvous ").append(sessionId).append(' ').append(version).append(" IN IP4 ").append(t.ip()).append("\r\n");
        b.append("s=-\r\n");
        b.append("t=0 0\r\n");
        b.append("a=ice-lite\r\n");
        return b;
    }

    private static void bundle(StringBuilder b, List<String> mids) {
        if (!mids.isEmpty()) {
            b.append("a=group:BUNDLE");
            mids.forEach(mid -> b.append(' ').append(mid));
            b.append("\r\n");
        }
    }

    /** The m-line: the codecs in order, each followed by its RTX payload type when it has one. */
    private static void mline(StringBuilder b, String kind, LocalTransport t, List<Codec> codecs, List<Codec> rtx) {
        b.append("m=").append(kind).append(' ').append(t.port()).append(" UDP/TLS/RTP/SAVPF");
        for (Codec c : codecs) {
            b.append(' ').append(c.payloadType());
            for (Codec r : rtx) {
                if (r.associatedPayloadType() == c.payloadType()) {
                    b.append(' ').append(r.payloadType());
                }
            }
        }
        b.append("\r\n");
        b.append("c=IN IP4 ").append(t.ip()).append("\r\n");
    }

    private static void rejected(StringBuilder b, String kind, String protocol, String mid, Media m) {
        b.append("m=").append(kind).append(" 0 ").append(protocol);
        if (m.codecs().isEmpty()) {
            b.append(kind.equals("application") ? " webrtc-datachannel" : " 0");
        } else {
            b.append(' ').append(m.codecs().get(0).payloadType());
        }
        b.append("\r\n");
        b.append("c=IN IP4 0.0.0.0\r\n");
        b.append("a=mid:").append(mid).append("\r\n");
        b.append("a=inactive\r\n");
    }

    private static void transport(StringBuilder b, LocalTransport t, String setup) {
        b.append("a=ice-ufrag:").append(t.ufrag()).append("\r\n");
        b.append("a=ice-pwd:").append(t.pwd()).append("\r\n");
        b.append("a=fingerprint:sha-256 ").append(t.fingerprintSha256()).append("\r\n");
        b.append("a=setup:").append(setup).append("\r\n");
    }

    private static void codecs(StringBuilder b, List<Codec> codecs, List<String> onlyFeedback) {
        for (Codec c : codecs) {
            b.append("a=rtpmap:").append(c.payloadType()).append(' ').append(c.name()).append('/').append(c.clockRate());
            if (c.channels() > 1) {
                b.append('/').append(c.channels());
            }
            b.append("\r\n");
            for (String f : c.feedback()) {
                if (onlyFeedback == null || onlyFeedback.contains(f)) {
                    b.append("a=rtcp-fb:").append(c.payloadType()).append(' ').append(f).append("\r\n");
                }
            }
            if (onlyFeedback != null) {
                for (String f : onlyFeedback) {
                    if (!c.feedback().contains(f) && (c.clockRate() == 90_000 || f.equals("transport-cc"))) {
                        b.append("a=rtcp-fb:").append(c.payloadType()).append(' ').append(f).append("\r\n");
                    }
                }
            }
            if (c.fmtp() != null) {
                b.append("a=fmtp:").append(c.payloadType()).append(' ').append(c.fmtp()).append("\r\n");
            }
        }
    }

    /** RTX codecs: their rtpmap and {@code apt=} (no feedback: NACKs and PLIs name the media SSRC). */
    private static void rtxCodecs(StringBuilder b, List<Codec> rtx) {
        for (Codec r : rtx) {
            b.append("a=rtpmap:").append(r.payloadType()).append(" rtx/").append(r.clockRate()).append("\r\n");
            b.append("a=fmtp:").append(r.payloadType()).append(" apt=").append(r.associatedPayloadType()).append("\r\n");
        }
    }

    private static void candidates(StringBuilder b, LocalTransport t) {
        b.append("a=candidate:1 1 udp 2130706431 ").append(t.ip()).append(' ').append(t.port())
                .append(" typ host generation 0\r\n");
        if (t.tcpPort() >= 0) {
            // RFC 6544: type preference below UDP's (a browser that can use UDP does), tcptype passive
            b.append("a=candidate:2 1 tcp 1518280447 ").append(t.ip()).append(' ').append(t.tcpPort())
                    .append(" typ host tcptype passive generation 0\r\n");
        }
        b.append("a=end-of-candidates\r\n");
    }
}
