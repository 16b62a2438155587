package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's ICE-TCP port: bound and offered when configured, and never a reason not to start. */
class MediaEngineIceTcpTest {

    private static MediaConfig withTcp(int tcpPort) {
        MediaConfig l = MediaConfig.loopback();
        return new MediaConfig(l.advertisedAddress(), l.bindAddress(), 0, l.consentTimeout(), l.maxBitrateBps(),
                l.dtlsTimeout(), l.maxParticipants(), l.maxRoomParticipants(), l.answerTimeout(), tcpPort);
    }

    @Test
    void shouldOfferTheBoundTcpPortInItsAnswers() throws Exception {
        try (MediaEngine engine = new MediaEngine(withTcp(0), DtlsCertificate.generate(), MediaListener.none())) {
            engine.start();
            assertThat(engine.tcpPort()).isPositive();

            String answer = answer(engine);
            assertThat(answer).contains("a=candidate:1 1 udp 2130706431 127.0.0.1 " + engine.port() + " typ host")
                    .contains("a=candidate:2 1 tcp 1518280447 127.0.0.1 " + engine.tcpPort()
                            + " typ host tcptype passive");
        }
    }

    @Test
    void shouldStartOnUdpAloneWhenTheTcpPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             MediaEngine engine = new MediaEngine(withTcp(taken.getLocalPort()), DtlsCertificate.generate(),
                     MediaListener.none())) {
            engine.start();

            assertThat(engine.port()).isPositive();
            assertThat(engine.tcpPort()).isEqualTo(-1);
            assertThat(answer(engine)).contains(" udp ").doesNotContain(" tcp ");
        }
    }

    @Test
    void shouldOfferNoTcpCandidateWhenIceTcpIsOff() throws Exception {
        try (MediaEngine engine = new MediaEngine(MediaConfig.loopback(), DtlsCertificate.generate(),
                MediaListener.none())) {
            engine.start();
            assertThat(engine.tcpPort()).isEqualTo(-1);
            assertThat(answer(engine)).doesNotContain(" tcp ");
        }
    }

    private static String answer(MediaEngine engine) throws Exception {
        List<String> answers = new ArrayList<>();
        engine.publish("m1", "s1", "p1", MediaEngineNegotiationTest.chromiumOffer("u1"),
                List.of(new TrackSpec("0", TrackKind.AUDIO, TrackSource.MICROPHONE, false),
                        new TrackSpec("1", TrackKind.VIDEO, TrackSource.CAMERA, false)), answers::add);
        return answers.get(0);
    }
}
