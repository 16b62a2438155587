package dev.rendezvous.forwarder.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.sdp.SdpNegotiator.Accepted;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Simulcast in publish offers and answers: {@code a=rid}, {@code a=simulcast}, the rid and mid extensions. */
class SimulcastSdpTest {

    static String simulcastOffer() throws IOException {
        try (InputStream in = SimulcastSdpTest.class.getResourceAsStream("/sdp/chromium-simulcast-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String video(String answer) {
        return answer.substring(answer.indexOf("m=video"));
    }

    @Test
    void shouldReadTheLayersAChromiumSimulcastOfferSendsInItsOrder() throws IOException {
        SessionDescription d = SessionDescription.parse(simulcastOffer());
        assertThat(d.media().get(0).sendRids()).isEmpty();
        assertThat(d.media().get(1).sendRids()).containsExactly("q", "h", "f");
        assertThat(d.media().get(1).primarySsrc()).as("no a=ssrc with rids: learnt from packets").isEqualTo(-1);
    }

    @Test
    void shouldAnswerSimulcastWithTheSameRidsToReceiveAndTheRidAndMidExtensions() throws IOException {
        SessionDescription offer = SessionDescription.parse(simulcastOffer());
        List<Accepted> accepted = SdpNegotiator.negotiatePublish(offer);
        Accepted v = accepted.get(1);
        assertThat(v.simulcast()).isTrue();
        assertThat(v.rids()).containsExactly("q", "h", "f");
        assertThat(v.ridId()).isEqualTo(10);
        assertThat(v.midId()).isEqualTo(4);
        assertThat(accepted.get(0).simulcast()).isFalse();

        String answer = ForwarderSdpWriter.writePublishAnswer(offer, accepted, SdpNegotiatorTest.LOCAL, 7);
        assertThat(video(answer)).contains("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n",
                "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n",
                "a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\na=simulcast:recv q;h;f\r\n");
        // RTX: the layers' RTX SSRCs are named by the repaired-rtp-stream-id extension, accepted with rid
        assertThat(v.repairedRidId()).isEqualTo(11);
        assertThat(v.rtxSsrc()).isEqualTo(-1);
        assertThat(video(answer)).contains(
                "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n", "a=fmtp:97 apt=96\r\n");
        // the answer is itself a description the parser reads (what the browser will check)
        assertThat(SessionDescription.parse(answer).media().get(1).direction())
                .isEqualTo(SessionDescription.Direction.RECVONLY);
    }

    @Test
    void shouldNotTakeTheRepairedRidExtensionWithoutRtx() throws IOException {
        String offer = simulcastOffer().replaceAll("a=rtpmap:(\\d+) rtx/90000", "a=rtpmap:$1 xyz/90000");
        List<Accepted> accepted = SdpNegotiator.negotiatePublish(SessionDescription.parse(offer));
        assertThat(accepted.get(1).simulcast()).isTrue();
        assertThat(accepted.get(1).repairedRidId()).isEqualTo(-1);
        assertThat(ForwarderSdpWriter.writePublishAnswer(SessionDescription.parse(offer), accepted, SdpNegotiatorTest.LOCAL, 7))
                .doesNotContain("repaired-rtp-stream-id", "rtx/");
    }

    @Test
    void shouldNotAnswerSimulcastWithoutTheRidExtensionTheLayersCouldNotBeToldApartWithout() throws IOException {
        String offer = simulcastOffer().replace("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n", "");
        List<Accepted> accepted = SdpNegotiator.negotiatePublish(SessionDescription.parse(offer));
        assertThat(accepted.get(1).simulcast()).isFalse();
        String answer = ForwarderSdpWriter.writePublishAnswer(SessionDescription.parse(offer), accepted,
                SdpNegotiatorTest.LOCAL, 7);
        assertThat(answer).doesNotContain("a=simulcast", "a=rid:", "sdes:mid");
    }

    @Test
    void shouldFollowTheSimulcastOrderTakeFirstAlternativesAndIgnoreBadOrUndeclaredRids() throws IOException {
        String offer = simulcastOffer()
                .replace("a=rid:f send\r\n", "a=rid:f send max-width=1280\r\na=rid:x recv\r\na=rid:bad!id send\r\n")
                .replace("a=simulcast:send q;h;f", "a=simulcast:send ~f;h,q;x;nope;bad!id");
        assertThat(SessionDescription.parse(offer).media().get(1).sendRids())
                .as("paused marker dropped; first alternative; recv-only, undeclared and invalid rids left out")
                .containsExactly("f", "h");
        String single = simulcastOffer().replace("a=simulcast:send q;h;f", "a=simulcast:send q");
        assertThat(SessionDescription.parse(single).media().get(1).sendRids()).as("one layer is no simulcast").isEmpty();
        String noSimulcastLine = simulcastOffer().replace("a=simulcast:send q;h;f\r\n", "");
        assertThat(SessionDescription.parse(noSimulcastLine).media().get(1).sendRids()).containsExactly("q", "h", "f");
        String tooLong = simulcastOffer().replace("a=rid:q send", "a=rid:abcdefghijklmnopq send")
                .replace("send q;h;f", "send abcdefghijklmnopq;h;f");
        assertThat(SessionDescription.parse(tooLong).media().get(1).sendRids()).containsExactly("h", "f");
    }
}
