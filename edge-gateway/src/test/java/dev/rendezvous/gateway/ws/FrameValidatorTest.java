package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.MediaTrack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameValidatorTest {

    @Test
    void shouldAcceptChatOfExactly2000CodePointsEvenWhenThatIs4000Chars() {
        String emoji = "\uD83D\uDE00".repeat(2000); // 2000 code points, 4000 UTF-16 chars
        assertThat(FrameValidator.validateChat(new ClientFrame.Chat("m", "c", emoji))).isNull();
        assertThat(FrameValidator.validateChat(new ClientFrame.Chat("m", "c", "a".repeat(2000)))).isNull();
    }

    @Test
    void shouldRefuseChatLongerThan2000CodePoints() {
        FrameError e = FrameValidator.validateChat(new ClientFrame.Chat("m", "c", "\uD83D\uDE00".repeat(2001)));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.ref()).isEqualTo("c");
        assertThat(e.meetingId()).isEqualTo("m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " \t\n ", "\u2003"})
    void shouldRefuseChatThatIsEmptyAfterTrimming(String text) {
        assertThat(FrameValidator.validateChat(new ClientFrame.Chat("m", "c", text)).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRefuseChatWithoutText() {
        assertThat(FrameValidator.validateChat(new ClientFrame.Chat("m", "c", null)).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRequireAClientMsgIdOfAtMost64CodePoints() {
        assertThat(FrameValidator.validateChat(new ClientFrame.Chat("m", null, "hi")).code())
                .isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(FrameValidator.validateChat(new ClientFrame.Chat("m", " ", "hi")).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(FrameValidator.validateChat(new ClientFrame.Chat("m", "x".repeat(64), "hi"))).isNull();
        assertThat(FrameValidator.validateChat(new ClientFrame.Chat("m", "x".repeat(65), "hi")).code())
                .isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    // ---- media frames

    private static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @Test
    void shouldAcceptAValidOfferAndTurnItsTracksIntoTheContractsRecords() {
        List<ClientFrame.Track> tracks = List.of(new ClientFrame.Track("0", "audio", "microphone", false),
                new ClientFrame.Track("1", "video", "camera", true), new ClientFrame.Track("2", "video", "screen", false));
        assertThat(FrameValidator.validateMedia(new ClientFrame.MediaOffer("m", SDP, tracks))).isNull();
        assertThat(FrameValidator.validateMedia(new ClientFrame.MediaOffer("m", SDP, List.of()))).isNull();
        assertThat(FrameValidator.validateMedia(new ClientFrame.MediaAnswer("m", SDP))).isNull();
        assertThat(FrameValidator.validateMedia(new ClientFrame.MediaState("m", tracks))).isNull();
        assertThat(FrameValidator.mediaTracks(tracks)).containsExactly(
                new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, false),
                new MediaTrack("1", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, true),
                new MediaTrack("2", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.SCREEN, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "o=- 1 2 IN IP4 0.0.0.0", " v=0", "V=0"})
    void shouldRefuseAnSdpThatIsNoSessionDescription(String sdp) {
        FrameError offer = FrameValidator.validateMedia(new ClientFrame.MediaOffer("m", sdp, List.of()));
        assertThat(offer.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(offer.ref()).isEqualTo("publish");
        assertThat(offer.meetingId()).isEqualTo("m");
        FrameError answer = FrameValidator.validateMedia(new ClientFrame.MediaAnswer("m", sdp));
        assertThat(answer.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(answer.ref()).isEqualTo("subscribe");
        assertThat(FrameValidator.validateMedia(new ClientFrame.MediaAnswer("m", null)).code())
                .isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void shouldAcceptSixteenTracksButNotSeventeen() {
        List<ClientFrame.Track> tracks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tracks.add(new ClientFrame.Track(String.valueOf(i), "video", "camera", false));
        }
        assertThat(FrameValidator.validateMedia(new ClientFrame.MediaOffer("m", SDP, tracks))).isNull();
        tracks.add(new ClientFrame.Track("16", "video", "camera", false));
        FrameError e = FrameValidator.validateMedia(new ClientFrame.MediaOffer("m", SDP, tracks));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.message()).contains("16");
    }

    @Test
    void shouldRefuseTracksWithABadMidKindOrSource() {
        List<List<ClientFrame.Track>> bad = List.of(
                List.of(new ClientFrame.Track(null, "audio", "microphone", false)),
                List.of(new ClientFrame.Track("", "audio", "microphone", false)),
                List.of(new ClientFrame.Track("x".repeat(33), "audio", "microphone", false)),
                List.of(new ClientFrame.Track("0", "audio", "microphone", false), new ClientFrame.Track("0", "video", "camera", false)),
                List.of(new ClientFrame.Track("0", "AUDIO", "microphone", false)),
                List.of(new ClientFrame.Track("0", "data", "microphone", false)),
                List.of(new ClientFrame.Track("0", null, "microphone", false)),
                List.of(new ClientFrame.Track("0", "video", "webcam", false)),
                List.of(new ClientFrame.Track("0", "video", null, false)));
        for (List<ClientFrame.Track> tracks : bad) {
            assertThat(FrameValidator.validateMedia(new ClientFrame.MediaOffer("m", SDP, tracks)).code())
                    .as("%s", tracks).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(FrameValidator.validateMedia(new ClientFrame.MediaState("m", tracks)).ref()).isEqualTo("media");
        }
        assertThat(FrameValidator.validateMedia(new ClientFrame.MediaState("m", List.of(
                new ClientFrame.Track("x".repeat(32), "audio", "microphone", true))))).isNull();
    }

    @Test
    void shouldRefuseAMediaStateWithoutTracks() {
        FrameError e = FrameValidator.validateMedia(new ClientFrame.MediaState("m", List.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.ref()).isEqualTo("media");
    }
}
