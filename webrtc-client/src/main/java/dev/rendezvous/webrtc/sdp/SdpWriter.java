package dev.rendezvous.webrtc.sdp;

import dev.rendezvous.forwarder.sdp.SessionDescription;
import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.util.List;

/**
 * Writes the two descriptions a browser page produces towards the forwarder, shaped like Chromium's:
 * the publish offer (BUNDLE, rtcp-mux, {@code a=setup:actpass}, one sendonly m-section per track, Opus 111 with
 * the RFC 6464 audio-level extension, VP8 96 with nack / nack pli / ccm fir / goog-remb and its RTX 97 with an
 * {@code a=ssrc-group:FID} when the track has an RTX SSRC, {@code a=ssrc}) and
 * the answer to a subscribe offer ({@code a=setup:active} — we are the DTLS client — recvonly for each active
 * section, inactive for the removed ones, the offered codecs echoed, RTX among them). Pure functions; no I/O.
 */
public final class SdpWriter {

    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    /** RFC 4588 retransmissions of VP8 ({@code apt=96}), offered for a video track with an RTX SSRC. */
    public static final int RTX_PT = 97;
    public static final int AUDIO_LEVEL_ID = 1;
    public static final String AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    private SdpWriter() {
    }

    /** The publish PeerConnection's offer: our tracks, sendonly. */
    public static String publishOffer(IceParameters ice, List<LocalTrack> tracks, long sessionId, long version) {
        StringBuilder b = header(sessionId, version);
        b.append("a=group:BUNDLE");
        tracks.forEach(t -> b.append(' ').append(t.mid()));
        b.append("\r\n");
        b.append("a=extmap-allow-mixed\r\n");
        b.append("a=msid-semantic: WMS");
        tracks.stream().map(LocalTrack::streamId).distinct().forEach(s -> b.append(' ').append(s));
        b.append("\r\n");
        for (LocalTrack t : tracks) {
            int pt = t.audio() ? OPUS_PT : VP8_PT;
            boolean rtx = !t.audio() && t.rtxSsrc() >= 0;
            b.append("m=").append(t.kind()).append(" 9 UDP/TLS/RTP/SAVPF ").append(pt);
            b.append(rtx ? " " + RTX_PT : "").append("\r\n");
            b.append("c=IN IP4 0.0.0.0\r\n");
            b.append("a=rtcp:9 IN IP4 0.0.0.0\r\n");
            transport(b, ice, "actpass");
            b.append("a=mid:").append(t.mid()).append("\r\n");
            if (t.audio()) {
                b.append("a=extmap:").append(AUDIO_LEVEL_ID).append(' ').append(AUDIO_LEVEL_URI).append("\r\n");
            }
            b.append("a=sendonly\r\n");
            b.append("a=msid:").append(t.streamId()).append(' ').append(t.trackId()).append("\r\n");
            b.append("a=rtcp-mux\r\n");
            if (t.audio()) {
                b.append("a=rtpmap:111 opus/48000/2\r\n");
                b.append("a=rtcp-fb:111 nack\r\n");
                b.append("a=fmtp:111 minptime=10;useinbandfec=1\r\n");
            } else {
                b.append("a=rtpmap:96 VP8/90000\r\n");
                b.append("a=rtcp-fb:96 goog-remb\r\n");
                b.append("a=rtcp-fb:96 ccm fir\r\n");
                b.append("a=rtcp-fb:96 nack\r\n");
                b.append("a=rtcp-fb:96 nack pli\r\n");
            }
            if (rtx) {
                b.append("a=rtpmap:").append(RTX_PT).append(" rtx/90000\r\n");
                b.append("a=fmtp:").append(RTX_PT).append(" apt=").append(VP8_PT).append("\r\n");
                b.append("a=ssrc-group:FID ").append(t.ssrc()).append(' ').append(t.rtxSsrc()).append("\r\n");
            }
            ssrcLines(b, t.ssrc(), t);
            if (rtx) {
                ssrcLines(b, t.rtxSsrc(), t);
            }
        }
        return b.toString();
    }

    /**
     * Our answer to a subscribe offer: every offered section accepted, recvonly where the forwarder sends,
     * inactive where it no longer does; the same payload types, so forwarded packets need no mapping.
     */
    public static String subscribeAnswer(SessionDescription offer, IceParameters ice, long sessionId, long version) {
        StringBuilder b = header(sessionId, version);
        b.append("a=group:BUNDLE");
        offer.media().forEach(m -> b.append(' ').append(m.mid()));
        b.append("\r\n");
        b.append("a=msid-semantic: WMS\r\n");
        for (Media m : offer.media()) {
            b.append("m=").append(m.kind()).append(m.rejected() ? " 0" : " 9").append(" UDP/TLS/RTP/SAVPF");
            m.codecs().forEach(c -> b.append(' ').append(c.payloadType()));
            b.append("\r\n");
            b.append("c=IN IP4 0.0.0.0\r\n");
            b.append("a=rtcp:9 IN IP4 0.0.0.0\r\n");
            transport(b, ice, "active");
            b.append("a=mid:").append(m.mid()).append("\r\n");
            b.append(m.direction().sends() ? "a=recvonly\r\n" : "a=inactive\r\n");
            b.append("a=rtcp-mux\r\n");
            for (Codec c : m.codecs()) {
                b.append("a=rtpmap:").append(c.payloadType()).append(' ').append(c.name()).append('/')
                        .append(c.clockRate());
                if (c.channels() > 1) {
                    b.append('/').append(c.channels());
                }
                b.append("\r\n");
                for (String f : c.feedback()) {
                    b.append("a=rtcp-fb:").append(c.payloadType()).append(' ').append(f).append("\r\n");
                }
                if (c.fmtp() != null) {
                    b.append("a=fmtp:").append(c.payloadType()).append(' ').append(c.fmtp()).append("\r\n");
                }
            }
        }
        return b.toString();
    }

    private static void ssrcLines(StringBuilder b, long ssrc, LocalTrack t) {
        b.append("a=ssrc:").append(ssrc).append(" cname:").append(t.streamId()).append("\r\n");
        b.append("a=ssrc:").append(ssrc).append(" msid:").append(t.streamId()).append(' ').append(t.trackId())
                .append("\r\n");
    }

    private static StringBuilder header(long sessionId, long version) {
        StringBuilder b = new StringBuilder(2048);
        b.append("v=0\r\n");
        b.append("o=- ").append(sessionId).append(' ').append(version).append(" IN IP4 127.0.0.1\r\n");
        b.append("s=-\r\n");
        b.append("t=0 0\r\n");
        return b;
    }

    private static void transport(StringBuilder b, IceParameters ice, String setup) {
        b.append("a=ice-ufrag:").append(ice.ufrag()).append("\r\n");
        b.append("a=ice-pwd:").append(ice.pwd()).append("\r\n");
        b.append("a=ice-options:trickle\r\n");
        b.append("a=fingerprint:sha-256 ").append(ice.fingerprintSha256()).append("\r\n");
        b.append("a=setup:").append(setup).append("\r\n");
    }
}
