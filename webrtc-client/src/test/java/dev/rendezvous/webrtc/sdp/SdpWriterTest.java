package dev.rendezvous.webrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.sdp.ForwarderSdpWriter;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our descriptions, as the forwarder's parser and negotiator take them. */
class SdpWriterTest {

    private static final IceParameters ICE = new IceParameters("cliU", "clientPassword1234567890", "AB:CD:EF");
    private static final ForwarderSdpWriter.LocalTransport FORWARDER =
            new ForwarderSdpWriter.LocalTransport("srvU", "serverPassword", "12:34", "127.0.0.1", 40000);

    private static String offer() {
        return SdpWriter.publishOffer(ICE, List.of(
                new LocalTrack("0", "audio", "microphone", 1111, "sock", "sock-microphone"),
                new LocalTrack("1", "video", "camera", 2222, "sock", "sock-camera")), 7, 2);
    }

    @Test
    void shouldWriteAPublishOfferTheForwarderAcceptsWithOpusVp8AndTheAudioLevel() {
        SessionDescription parsed = SessionDescription.parse(offer());

        assertThat(parsed.bundleMids()).containsExactly("0", "1");
        Media audio = parsed.media().get(0);
        Media video = parsed.media().get(1);
        assertThat(audio.iceUfrag()).isEqualTo("cliU");
        assertThat(audio.fingerprintSha256()).isEqualTo("AB:CD:EF");
        assertThat(audio.setup()).isEqualTo("actpass");
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.primarySsrc()).isEqualTo(1111);
        assertThat(video.primarySsrc()).isEqualTo(2222);
        assertThat(audio.extensionId(SdpWriter.AUDIO_LEVEL_URI)).isEqualTo(1);
        assertThat(video.codec(96).feedback()).contains("nack", "nack pli", "ccm fir");

        List<SdpNegotiator.Accepted> accepted = SdpNegotiator.negotiatePublish(parsed);
        assertThat(accepted).allMatch(SdpNegotiator.Accepted::receiving);
        assertThat(accepted.get(0).codecs().get(0).payloadType()).isEqualTo(111);
        assertThat(accepted.get(0).audioLevelId()).isEqualTo(1);
        assertThat(accepted.get(1).codecs().get(0).name()).isEqualTo("VP8");
        assertThat(ForwarderSdpWriter.writePublishAnswer(parsed, accepted, FORWARDER, 1)).contains("a=recvonly");
    }

    @Test
    void shouldOfferRtxForVideoWithAnRtxSsrcWhichTheForwarderAcceptsWithThatSsrc() {
        SessionDescription parsed = SessionDescription.parse(SdpWriter.publishOffer(ICE, List.of(
                new LocalTrack("0", "audio", "microphone", 1111, "sock", "sock-microphone"),
                new LocalTrack("1", "video", "camera", 2222, "sock", "sock-camera", 2223)), 7, 2));
        Media video = parsed.media().get(1);
        assertThat(video.primarySsrc()).isEqualTo(2222);
        assertThat(video.codec(97).associatedPayloadType()).isEqualTo(96);
        assertThat(video.fidGroups()).singleElement().satisfies(g -> assertThat(g).containsExactly(2222L, 2223L));

        SdpNegotiator.Accepted accepted = SdpNegotiator.negotiatePublish(parsed).get(1);
        assertThat(accepted.rtx()).extracting(SessionDescription.Codec::payloadType).containsExactly(97);
        assertThat(accepted.rtxSsrc()).isEqualTo(2223);
        assertThat(SessionDescription.parse(offer()).media().get(1).codecs()).as("no RTX SSRC, no rtx")
                .extracting(SessionDescription.Codec::name).containsExactly("VP8");
    }

    @Test
    void shouldAnswerASubscribeOfferActivelyRecvonlyAndKeepInactiveSectionsInactive() {
        SessionDescription offer = SessionDescription.parse(ForwarderSdpWriter.writeSubscribeOffer(List.of(
                new ForwarderSdpWriter.Slot("0", "audio", true, SessionDescription.parse(offer()).media().get(0).codecs(),
                        5555, "other", "other-microphone"),
                new ForwarderSdpWriter.Slot("1", "video", false, SessionDescription.parse(offer()).media().get(1).codecs(),
                        6666, "gone", "gone-camera")), FORWARDER, 9, 3));

        SessionDescription answer = SessionDescription.parse(SdpWriter.subscribeAnswer(offer, ICE, 11, 2));

        SdpNegotiator.requireTransport(answer);
        assertThat(answer.bundleMids()).containsExactly("0", "1");
        assertThat(answer.media().get(0).setup()).isEqualTo("active");
        assertThat(answer.media().get(0).direction()).isEqualTo(SessionDescription.Direction.RECVONLY);
        assertThat(answer.media().get(1).direction()).isEqualTo(SessionDescription.Direction.INACTIVE);
        assertThat(answer.media().get(0).codecs()).extracting(SessionDescription.Codec::payloadType).containsExactly(111);
        assertThat(answer.media().get(0).fingerprintSha256()).isEqualTo("AB:CD:EF");
    }

    @Test
    void shouldReadTheForwardersCandidateAndCredentials() {
        String answer = ForwarderSdpWriter.writePublishAnswer(SessionDescription.parse(offer()),
                SdpNegotiator.negotiatePublish(SessionDescription.parse(offer())), FORWARDER, 1);
        RemoteDescription remote = RemoteDescription.parse(answer);
        assertThat(remote.ufrag()).isEqualTo("srvU");
        assertThat(remote.pwd()).isEqualTo("serverPassword");
        assertThat(remote.fingerprint()).isEqualTo("12:34");
        assertThat(remote.candidate().getPort()).isEqualTo(40000);
        assertThat(remote.candidate().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }
}
