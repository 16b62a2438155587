package dev.rendezvous.forwarder.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.forwarder.sdp.ForwarderSdpWriter.LocalTransport;
import dev.rendezvous.forwarder.sdp.SdpNegotiator.Accepted;
import dev.rendezvous.forwarder.sdp.ForwarderSdpWriter.LocalTransport;
import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SdpNegotiatorTest {

    static final LocalTransport LOCAL = new LocalTransport("srvU", "serverpassword0123456789", "AA:BB", "127.0.0.1", 40000);

    static String chromiumOffer() throws IOException {
        try (InputStream in = SdpNegotiatorTest.class.getResourceAsStream("/sdp/chromium-publish-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldReadMidsDirectionsSsrcsAndTransportOfAChromiumOffer() throws IOException {
        SessionDescription d = SessionDescription.parse(chromiumOffer());
        assertThat(d.bundleMids()).containsExactly("0", "1");
        assertThat(d.media()).hasSize(2);
        SessionDescription.Media audio = d.media().get(0);
        assertThat(audio.kind()).isEqualTo("audio");
        assertThat(audio.direction()).isEqualTo(SessionDescription.Direction.SENDONLY);
        assertThat(audio.iceUfrag()).isEqualTo("Zq3x");
        assertThat(audio.fingerprintSha256()).startsWith("4E:1B:73");
        assertThat(audio.extensionId(SdpNegotiator.AUDIO_LEVEL_URI)).isEqualTo(1);
        assertThat(audio.primarySsrc()).isEqualTo(1001);
        SessionDescription.Media video = d.media().get(1);
        assertThat(video.primarySsrc()).isEqualTo(2001);
        assertThat(video.codec(97).associatedPayloadType()).isEqualTo(96);
    }

    @Test
    void shouldAnswerOpusAndVp8FirstWithTheirRtxRecvonlyPassiveIceLite() throws IOException {
        SessionDescription offer = SessionDescription.parse(chromiumOffer());
        List<Accepted> accepted = SdpNegotiator.negotiatePublish(offer);
        assertThat(accepted).extracting(Accepted::accepted).containsExactly(true, true);
        assertThat(accepted.get(0).codecs()).extracting(Codec::name).containsExactly("opus");
        assertThat(accepted.get(1).codecs()).extracting(Codec::name).containsExactly("VP8", "H264", "VP9");
        assertThat(accepted.get(1).codecs().get(1).payloadType()).isEqualTo(102); // packetization-mode=1 only
        assertThat(accepted.get(1).codecs().get(2).payloadType()).isEqualTo(98); // profile 0, not 2
        assertThat(accepted.get(0).audioLevelId()).isEqualTo(1);

        String answer = ForwarderSdpWriter.writePublishAnswer(offer, accepted, LOCAL, 7);
        assertThat(answer).startsWith("v=0\r\n").contains("a=ice-lite\r\n", "a=group:BUNDLE 0 1\r\n",
                "a=setup:passive\r\n", "a=recvonly\r\n", "a=rtcp-mux\r\n", "a=ice-ufrag:srvU\r\n",
                "a=fingerprint:sha-256 AA:BB\r\n", "m=audio 40000 UDP/TLS/RTP/SAVPF 111\r\n",
                "m=video 40000 UDP/TLS/RTP/SAVPF 96 97 102 103 98 99\r\n", "a=rtcp-fb:96 nack pli\r\n",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host generation 0\r\n",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n");
        assertThat(answer).doesNotContain("sendonly", "sdes:mid", "repaired-rtp-stream-id");
        // Opus: the publisher's parameters, in-band FEC and DTX asked for
        assertThat(answer).contains("a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n");
        // transport-wide congestion control: the extension (same id in both sections) and the feedback
        assertThat(answer.split("a=extmap:3 " + SdpNegotiator.TRANSPORT_CC_URI + "\r\n", -1)).hasSize(3);
        assertThat(answer).contains("a=rtcp-fb:111 transport-cc\r\n", "a=rtcp-fb:96 transport-cc\r\n");
        assertThat(SdpNegotiator.transportCcId(offer)).isEqualTo(3);
        SessionDescription without = SessionDescription.parse(chromiumOffer().replace(SdpNegotiator.TRANSPORT_CC_URI, "urn:x"));
        assertThat(SdpNegotiator.transportCcId(without)).isEqualTo(-1);
        assertThat(ForwarderSdpWriter.writePublishAnswer(without, SdpNegotiator.negotiatePublish(without), LOCAL, 7))
                .doesNotContain(SdpNegotiator.TRANSPORT_CC_URI);
        // the answer parses back, with the same mids in the same order
        SessionDescription back = SessionDescription.parse(answer);
        assertThat(back.media()).extracting(SessionDescription.Media::mid).containsExactly("0", "1");
    }

    @Test
    void shouldAcceptTheRtxOfAcceptedVideoCodecsOnlyAndLearnTheRtxSsrcFromTheFidGroup() throws IOException {
        SessionDescription offer = SessionDescription.parse(chromiumOffer());
        Accepted video = SdpNegotiator.negotiatePublish(offer).get(1);
        // 101 (VP9 profile 2), 36 (AV1) and 105 (H.264 mode 0) repair codecs that are not accepted
        assertThat(video.rtx()).extracting(Codec::payloadType).as("in the offer's order").containsExactly(97, 99, 103);
        assertThat(video.rtx()).extracting(Codec::associatedPayloadType).containsExactly(96, 98, 102);
        assertThat(video.rtxSsrc()).isEqualTo(2002);
        assertThat(video.repairedRidId()).as("not simulcast").isEqualTo(-1);
        assertThat(SdpNegotiator.negotiatePublish(offer).get(0).rtx()).as("audio").isEmpty();

        String answer = ForwarderSdpWriter.writePublishAnswer(offer, SdpNegotiator.negotiatePublish(offer), LOCAL, 7);
        assertThat(answer).contains("a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n",
                "a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=102\r\n", "a=rtpmap:99 rtx/90000\r\na=fmtp:99 apt=98\r\n");
        assertThat(answer).doesNotContain("a=rtpmap:101", "a=rtpmap:36", "a=rtpmap:105", "a=rtcp-fb:97");
        SessionDescription.Media back = SessionDescription.parse(answer).media().get(1);
        assertThat(back.codec(97).associatedPayloadType()).isEqualTo(96);

        // an offer without rtx, or without a FID group: accepted as before, the RTX SSRC learnt from packets
        SessionDescription noFid = SessionDescription.parse(chromiumOffer().replace("a=ssrc-group:FID 2001 2002\r\n", ""));
        assertThat(SdpNegotiator.negotiatePublish(noFid).get(1).rtxSsrc()).isEqualTo(-1);
        SessionDescription noRtx = SessionDescription.parse(chromiumOffer().replaceAll("a=rtpmap:(\\d+) rtx/90000", "a=rtpmap:$1 xyz/90000"));
        Accepted plain = SdpNegotiator.negotiatePublish(noRtx).get(1);
        assertThat(plain.rtx()).isEmpty();
        assertThat(plain.rtxSsrc()).isEqualTo(-1);
        assertThat(ForwarderSdpWriter.writePublishAnswer(noRtx, SdpNegotiator.negotiatePublish(noRtx), LOCAL, 7))
                .doesNotContain("rtx").contains("m=video 40000 UDP/TLS/RTP/SAVPF 96 102 98\r\n");
    }

    @Test
    void shouldOfferSubscribersRtxOnTheirOwnSsrcWhereTheTrackHasItAndNeverACollidingOrUnpairedOne() {
        Codec vp8 = new Codec(96, "VP8", 90000, 1, null, List.of("nack", "nack pli"));
        Codec h264 = new Codec(102, "H264", 90000, 1, "packetization-mode=1;profile-level-id=42e01f", List.of("nack"));
        List<Codec> rtx = List.of(new Codec(97, "rtx", 90000, 1, "apt=96", List.of()),
                new Codec(103, "rtx", 90000, 1, "apt=102", List.of()),
                new Codec(99, "rtx", 90000, 1, "apt=98", List.of()), // repairs a codec not offered
                new Codec(102, "rtx", 90000, 1, "apt=96", List.of())); // collides with H.264
        String offer = ForwarderSdpWriter.writeSubscribeOffer(List.of(
                new ForwarderSdpWriter.Slot("0", "video", true, List.of(vp8, h264), rtx, 5678, 5679, "sockA", "sockA-camera"),
                new ForwarderSdpWriter.Slot("1", "video", false, List.of(vp8), rtx, 999, 998, "sockB", "sockB-camera")),
                LOCAL, 42, 3);
        assertThat(offer).contains("m=video 40000 UDP/TLS/RTP/SAVPF 96 97 102 103\r\n",
                "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n", "a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=102\r\n",
                "a=ssrc-group:FID 5678 5679\r\n", "a=ssrc:5679 cname:sockA\r\n", "a=ssrc:5679 msid:sockA sockA-camera\r\n");
        assertThat(offer).doesNotContain("a=rtpmap:99", "a=rtpmap:102 rtx", "a=rtcp-fb:97", "998", "a=ssrc:999")
                .as("an inactive section names one codec").contains("m=video 40000 UDP/TLS/RTP/SAVPF 96\r\n");
        SessionDescription.Media m = SessionDescription.parse(offer).media().get(0);
        assertThat(m.primarySsrc()).isEqualTo(5678);
        assertThat(m.fidGroups()).singleElement().satisfies(g -> assertThat(g).containsExactly(5678L, 5679L));
        assertThat(m.codec(103).associatedPayloadType()).isEqualTo(102);

        String without = ForwarderSdpWriter.writeSubscribeOffer(List.of(
                new ForwarderSdpWriter.Slot("0", "video", true, List.of(vp8), 5678, "sockA", "sockA-camera")), LOCAL, 42, 3);
        assertThat(without).doesNotContain("rtx", "ssrc-group").contains("m=video 40000 UDP/TLS/RTP/SAVPF 96\r\n");
    }

    @Test
    void shouldOfferThePassiveIceTcpCandidateBelowTheUdpOneWhenThereIsATcpPort() throws IOException {
        SessionDescription offer = SessionDescription.parse(chromiumOffer());
        LocalTransport withTcp = new LocalTransport("srvU", "serverpassword0123456789", "AA:BB", "127.0.0.1", 40000, 40001);

        String answer = ForwarderSdpWriter.writePublishAnswer(offer, SdpNegotiator.negotiatePublish(offer), withTcp, 7);

        assertThat(answer).contains("a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host generation 0\r\n"
                + "a=candidate:2 1 tcp 1518280447 127.0.0.1 40001 typ host tcptype passive generation 0\r\n"
                + "a=end-of-candidates\r\n");
        assertThat(ForwarderSdpWriter.writePublishAnswer(offer, SdpNegotiator.negotiatePublish(offer), LOCAL, 7))
                .as("no TCP port, no TCP candidate").doesNotContain(" tcp ");
        assertThat(SessionDescription.parse(answer).media()).hasSize(2);
    }

    @Test
    void shouldRejectAnMlineWithoutUsableCodecsButKeepItsMid() throws IOException {
        String offer = chromiumOffer().replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 XYZ/90000")
                .replace("a=rtpmap:98 VP9/90000", "a=rtpmap:98 XYZ/90000")
                .replace("a=rtpmap:102 H264/90000", "a=rtpmap:102 XYZ/90000");
        SessionDescription d = SessionDescription.parse(offer);
        List<Accepted> accepted = SdpNegotiator.negotiatePublish(d);
        assertThat(accepted.get(1).accepted()).isFalse();
        String answer = ForwarderSdpWriter.writePublishAnswer(d, accepted, LOCAL, 1);
        assertThat(answer).contains("a=group:BUNDLE 0\r\n").contains("m=video 0 ").contains("a=mid:1\r\n");
    }

    @Test
    void shouldAskForFecAndDtxOnceWhateverTheOfferSaid() {
        assertThat(SdpNegotiator.opusReceiverParameters(null)).isEqualTo("useinbandfec=1;usedtx=1");
        assertThat(SdpNegotiator.opusReceiverParameters("minptime=10")).isEqualTo("minptime=10;useinbandfec=1;usedtx=1");
        assertThat(SdpNegotiator.opusReceiverParameters("useinbandfec=1; usedtx=0"))
                .as("an explicit choice of the offer is kept").isEqualTo("useinbandfec=1; usedtx=0");
    }

    @Test
    void shouldWriteASubscribeOfferWithTheForwardersSsrcAndInactiveRemovedTracks() {
        Codec vp8 = new Codec(96, "VP8", 90000, 1, null, List.of("nack", "nack pli", "ccm fir", "goog-remb"));
        Codec opus = new Codec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of());
        String offer = ForwarderSdpWriter.writeSubscribeOffer(List.of(
                new ForwarderSdpWriter.Slot("0", "audio", true, List.of(opus), 1234, "sockA", "sockA-microphone"),
                new ForwarderSdpWriter.Slot("1", "video", true, List.of(vp8), 5678, "sockA", "sockA-camera"),
                new ForwarderSdpWriter.Slot("2", "video", false, List.of(vp8), 999, "sockB", "sockB-camera")), LOCAL, 42, 3);
        assertThat(offer).contains("o=rendezvous 42 3 IN IP4 127.0.0.1", "a=group:BUNDLE 0 1 2", "a=setup:actpass",
                "a=ssrc:5678 msid:sockA sockA-camera", "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:96 nack pli");
        assertThat(offer).doesNotContain("goog-remb", "a=ssrc:999");
        SessionDescription d = SessionDescription.parse(offer);
        assertThat(d.media()).extracting(SessionDescription.Media::direction).containsExactly(
                SessionDescription.Direction.SENDONLY, SessionDescription.Direction.SENDONLY,
                SessionDescription.Direction.INACTIVE);
    }

    @Test
    void shouldRefuseDescriptionsItCannotUse() throws IOException {
        assertThatThrownBy(() -> SessionDescription.parse("")).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> SessionDescription.parse("hello")).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\ns=-\r\n")).isInstanceOf(SdpException.class)
                .hasMessageContaining("no m-line");
        assertThatThrownBy(() -> SessionDescription.parse(chromiumOffer().replace("a=mid:1\r\n", "")))
                .isInstanceOf(SdpException.class).hasMessageContaining("mid");
        String noFingerprint = chromiumOffer().replaceAll("a=fingerprint:[^\r]*\r\n", "");
        assertThatThrownBy(() -> SdpNegotiator.negotiatePublish(SessionDescription.parse(noFingerprint)))
                .isInstanceOf(SdpException.class).hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\n" + "a=x\r\n".repeat(60_000)))
                .isInstanceOf(SdpException.class).hasMessageContaining("longer");
    }

    @Test
    void shouldNeverThrowAnythingButSdpExceptionOnGarbage() throws IOException {
        Random r = new Random(7);
        String base = chromiumOffer();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder(base);
            for (int k = 0; k < 5; k++) {
                int at = r.nextInt(b.length());
                b.setCharAt(at, (char) (32 + r.nextInt(95)));
            }
            try {
                SessionDescription d = SessionDescription.parse(b.toString());
                ForwarderSdpWriter.writePublishAnswer(d, SdpNegotiator.negotiatePublish(d), LOCAL, 1);
            } catch (SdpException expected) {
                // refused with a reason: fine
            }
        }
    }
}
