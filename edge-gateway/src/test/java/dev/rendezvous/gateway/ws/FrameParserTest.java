package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

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
    void shouldFindTheRefOfAFrameCheaply() {
        assertThat(parser.refOf("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c\"}")).isEqualTo("c");
        assertThat(parser.refOf("{\"type\":\"join\",\"meetingId\":\"m\"}")).isEqualTo("m");
        assertThat(parser.refOf("nope")).isNull();
        assertThat(parser.refOf("[1]")).isNull();
    }

    // ---- media frames

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
}
