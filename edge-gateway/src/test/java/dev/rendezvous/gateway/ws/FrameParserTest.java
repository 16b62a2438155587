package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

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
}
