package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.MediaTrack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {

    private final FrameParser parser = new FrameParser();

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "{", "{\"type\":", "{'type':'ping'}", "{\"type\":\"ping\"} trailing", "\u0000"})
    void shouldCallTextThatIsNotJsonABadFrame(String text) {
        FrameParser.Result r = parser.parse(text);
        assertThat(r.ok()).isFalse();
        assertThat(r.error().code()).isEqualTo(ErrorCode.BAD_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"ping\"", "null", "true"})
    void shouldCallJsonThatIsNotAnObjectABadFrame(String text) {
        assertThat(parser.parse(text).error().code()).isEqualTo(ErrorCode.BAD_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\":7}", "{\"type\":null}", "{\"type\":{\"a\":1}}"})
    void shouldRequireAStringType(String text) {
        assertThat(parser.parse(text).error().code()).isEqualTo(ErrorCode.BAD_FRAME);
    }

    @Test
    void shouldReportUnknownTypeWithTheClientMsgIdAsRef() {
        FrameParser.Result r = parser.parse("{\"type\":\"dance\",\"clientMsgId\":\"m1\"}");
        assertThat(r.error().code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(r.error().message()).contains("dance");
        assertThat(r.error().ref()).isEqualTo("m1");
    }

    @Test
    void shouldParseEveryClientFrame() {
        assertThat(parser.parse("{\"type\":\"ping\"}").frame()).isEqualTo(new ClientFrame.Ping());
        assertThat(parser.parse("{\"type\":\"join\",\"meetingId\":\"m\",\"token\":\"t\"}").frame())
                .isEqualTo(new ClientFrame.Join("m", "t"));
        assertThat(parser.parse("{\"type\":\"join\",\"meetingId\":\"m\"}").frame())
                .isEqualTo(new ClientFrame.Join("m", null));
        assertThat(parser.parse("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c\",\"text\":\"hi\",\"extra\":1}").frame())
                .isEqualTo(new ClientFrame.Chat("m", "c", "hi"));
        assertThat(parser.parse("{\"type\":\"leave\",\"meetingId\":\"m\"}").frame()).isEqualTo(new ClientFrame.Leave("m"));
    }

    @Test
    void shouldRefuseFieldsThatAreNotStrings() {
        FrameParser.Result r = parser.parse("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c\",\"text\":{\"x\":1}}");
        assertThat(r.error().code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(r.error().message()).contains("text");
        assertThat(r.error().ref()).isEqualTo("c");
    }

    @Test
    void shouldAcceptChatOfExactly2000CodePointsEvenWhenThatIs4000Chars() {
        String emoji = "\uD83D\uDE00".repeat(2000); // 2000 code points, 4000 UTF-16 chars
        assertThat(FrameParser.validateChat(new ClientFrame.Chat("m", "c", emoji))).isNull();
        assertThat(FrameParser.validateChat(new ClientFrame.Chat("m", "c", "a".repeat(2000)))).isNull();
    }

    @Test
    void shouldRefuseChatLongerThan2000CodePoints() {
        FrameError e = FrameParser.validateChat(new ClientFrame.Chat("m", "c", "\uD83D\uDE00".repeat(2001)));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.ref()).isEqualTo("c");
        assertThat(e.meetingId()).isEqualTo("m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " \t\n ", "\u2003"})
    void shouldRefuseChatThatIsEmptyAfterTrimming(String text) {
        assertThat(FrameParser.validateChat(new ClientFrame.Chat("m", "c", text)).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRefuseChatWithoutText() {
        assertThat(FrameParser.validateChat(new ClientFrame.Chat("m", "c", null)).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void shouldRequireAClientMsgIdOfAtMost64CodePoints() {
        assertThat(FrameParser.validateChat(new ClientFrame.Chat("m", null, "hi")).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(FrameParser.validateChat(new ClientFrame.Chat("m", " ", "hi")).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(FrameParser.validateChat(new ClientFrame.Chat("m", "x".repeat(64), "hi"))).isNull();
        assertThat(FrameParser.validateChat(new ClientFrame.Chat("m", "x".repeat(65), "hi")).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void shouldFindTheRefOfAFrameCheaply() {
        assertThat(parser.refOf("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c\"}")).isEqualTo("c");
        assertThat(parser.refOf("{\"type\":\"join\",\"meetingId\":\"m\"}")).isEqualTo("m");
        assertThat(parser.refOf("nope")).isNull();
        assertThat(parser.refOf("[1]")).isNull();
    }

    // ---- media frames

    private static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @Test
    void shouldParseMediaFrames() {
        assertThat(parser.parse("{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"v=0\","
                + "\"tracks\":[{\"mid\":\"0\",\"kind\":\"audio\",\"source\":\"microphone\",\"muted\":false},"
                + "{\"mid\":\"1\",\"kind\":\"video\",\"source\":\"camera\",\"muted\":true}]}").frame())
                .isEqualTo(new ClientFrame.MediaOffer("m", "v=0", List.of(
                        new ClientFrame.Track("0", "audio", "microphone", false),
                        new ClientFrame.Track("1", "video", "camera", true))));
        assertThat(parser.parse("{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"v=0\"}").frame())
                .isEqualTo(new ClientFrame.MediaOffer("m", "v=0", List.of()));
        assertThat(parser.parse("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"v=0\"}").frame())
                .isEqualTo(new ClientFrame.MediaAnswer("m", "v=0"));
        assertThat(parser.parse("{\"type\":\"media-state\",\"meetingId\":\"m\","
                + "\"tracks\":[{\"mid\":\"2\",\"kind\":\"video\",\"source\":\"screen\"}]}").frame())
                .isEqualTo(new ClientFrame.MediaState("m", List.of(new ClientFrame.Track("2", "video", "screen", false))));
        assertThat(parser.parse("{\"type\":\"media-subscribe\",\"meetingId\":\"m\"}").frame())
                .isEqualTo(new ClientFrame.MediaSubscribe("m"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":42}",
            "{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"v=0\",\"tracks\":{}}",
            "{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"v=0\",\"tracks\":[\"0\"]}",
            "{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"v=0\",\"tracks\":[{\"mid\":0,\"kind\":\"audio\",\"source\":\"microphone\"}]}",
            "{\"type\":\"media-state\",\"meetingId\":\"m\",\"tracks\":[{\"mid\":\"0\",\"kind\":\"audio\",\"source\":\"microphone\",\"muted\":\"yes\"}]}",
            "{\"type\":\"media-answer\",\"meetingId\":[\"m\"],\"sdp\":\"v=0\"}"})
    void shouldCallMalformedMediaFramesBadFrames(String text) {
        FrameParser.Result r = parser.parse(text);
        assertThat(r.ok()).isFalse();
        assertThat(r.error().code()).isEqualTo(ErrorCode.BAD_FRAME);
    }

    @Test
    void shouldNameTheBadFieldAndTheConnectionInTheErrorOfAMediaFrame() {
        FrameParser.Result r = parser.parse("{\"type\":\"media-state\",\"meetingId\":\"m\","
                + "\"tracks\":[{\"mid\":\"0\",\"kind\":\"audio\",\"source\":\"microphone\",\"muted\":1}]}");
        assertThat(r.error().message()).contains("tracks[0].muted").contains("boolean");
        assertThat(r.error().ref()).isEqualTo("media");
        assertThat(parser.parse("{\"type\":\"media-offer\",\"sdp\":1}").error().ref()).isEqualTo("publish");
        assertThat(parser.parse("{\"type\":\"media-answer\",\"sdp\":1}").error().ref()).isEqualTo("subscribe");
        assertThat(parser.refOf("{\"type\":\"media-offer\",\"meetingId\":\"m\"}")).isEqualTo("publish");
    }

    @Test
    void shouldAcceptAValidOfferAndTurnItsTracksIntoTheContractsRecords() {
        List<ClientFrame.Track> tracks = List.of(new ClientFrame.Track("0", "audio", "microphone", false),
                new ClientFrame.Track("1", "video", "camera", true), new ClientFrame.Track("2", "video", "screen", false));
        assertThat(FrameParser.validateMedia(new ClientFrame.MediaOffer("m", SDP, tracks))).isNull();
        assertThat(FrameParser.validateMedia(new ClientFrame.MediaOffer("m", SDP, List.of()))).isNull();
        assertThat(FrameParser.validateMedia(new ClientFrame.MediaAnswer("m", SDP))).isNull();
        assertThat(FrameParser.validateMedia(new ClientFrame.MediaState("m", tracks))).isNull();
        assertThat(FrameParser.mediaTracks(tracks)).containsExactly(
                new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, false),
                new MediaTrack("1", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, true),
                new MediaTrack("2", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.SCREEN, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "o=- 1 2 IN IP4 0.0.0.0", " v=0", "V=0"})
    void shouldRefuseAnSdpThatIsNoSessionDescription(String sdp) {
        FrameError offer = FrameParser.validateMedia(new ClientFrame.MediaOffer("m", sdp, List.of()));
        assertThat(offer.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(offer.ref()).isEqualTo("publish");
        assertThat(offer.meetingId()).isEqualTo("m");
        FrameError answer = FrameParser.validateMedia(new ClientFrame.MediaAnswer("m", sdp));
        assertThat(answer.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(answer.ref()).isEqualTo("subscribe");
        assertThat(FrameParser.validateMedia(new ClientFrame.MediaAnswer("m", null)).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void shouldAcceptSixteenTracksButNotSeventeen() {
        List<ClientFrame.Track> tracks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tracks.add(new ClientFrame.Track(String.valueOf(i), "video", "camera", false));
        }
        assertThat(FrameParser.validateMedia(new ClientFrame.MediaOffer("m", SDP, tracks))).isNull();
        tracks.add(new ClientFrame.Track("16", "video", "camera", false));
        FrameError e = FrameParser.validateMedia(new ClientFrame.MediaOffer("m", SDP, tracks));
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
            assertThat(FrameParser.validateMedia(new ClientFrame.MediaOffer("m", SDP, tracks)).code())
                    .as("%s", tracks).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(FrameParser.validateMedia(new ClientFrame.MediaState("m", tracks)).ref()).isEqualTo("media");
        }
        assertThat(FrameParser.validateMedia(new ClientFrame.MediaState("m", List.of(
                new ClientFrame.Track("x".repeat(32), "audio", "microphone", true))))).isNull();
    }

    @Test
    void shouldRefuseAMediaStateWithoutTracks() {
        FrameError e = FrameParser.validateMedia(new ClientFrame.MediaState("m", List.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.ref()).isEqualTo("media");
    }
}
