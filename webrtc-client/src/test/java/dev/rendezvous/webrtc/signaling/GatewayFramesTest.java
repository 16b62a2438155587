package dev.rendezvous.webrtc.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.forwarder.media.TrackKind;
import dev.rendezvous.forwarder.media.TrackSource;
import dev.rendezvous.forwarder.media.TrackSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The frames GatewaySignaling exchanges with the gateway, in the shapes docs/protocol.md gives. */
class GatewayFramesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void joinCarriesTokenAndFingerprintAndLeavesOutWhatIsAbsent() {
        JsonNode full = JSON.readTree(GatewayFrames.join("m-1", "tok", "AB:CD"));
        assertThat(full.get("type").asText()).isEqualTo("join");
        assertThat(full.get("meetingId").asText()).isEqualTo("m-1");
        assertThat(full.get("token").asText()).isEqualTo("tok");
        assertThat(full.get("fingerprint").asText()).isEqualTo("AB:CD");

        JsonNode bare = JSON.readTree(GatewayFrames.join("m-1", null, null));
        assertThat(bare.has("token")).isFalse();
        assertThat(bare.has("fingerprint")).isFalse();
    }

    @Test
    void mediaOfferListsOwnTracksWithLowercaseKindAndSource() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n";
        JsonNode f = JSON.readTree(GatewayFrames.mediaOffer("m-1", sdp, List.of(
                new TrackSpec("0", "audio", "microphone", false), new TrackSpec("1", "video", "camera", true))));
        assertThat(f.get("type").asText()).isEqualTo("media-offer");
        assertThat(f.get("sdp").asText()).isEqualTo(sdp);
        assertThat(f.get("tracks")).hasSize(2);
        JsonNode video = f.get("tracks").get(1);
        assertThat(video.get("mid").asText()).isEqualTo("1");
        assertThat(video.get("kind").asText()).isEqualTo("video");
        assertThat(video.get("source").asText()).isEqualTo("camera");
        assertThat(video.get("muted").asBoolean()).isTrue();
    }

    @Test
    void answerStateAndLeaveHaveTheirTypes() {
        assertThat(JSON.readTree(GatewayFrames.mediaAnswer("m", "v=0\r\n")).get("type").asText()).isEqualTo("media-answer");
        JsonNode state = JSON.readTree(GatewayFrames.mediaState("m", List.of(new TrackSpec("0", "audio", "microphone", true))));
        assertThat(state.get("type").asText()).isEqualTo("media-state");
        assertThat(state.get("tracks").get(0).get("muted").asBoolean()).isTrue();
        assertThat(JSON.readTree(GatewayFrames.leave("m")).get("type").asText()).isEqualTo("leave");
    }

    @Test
    void serverMediaOfferBecomesASubscribeOfferWithRemoteTracks() {
        GatewayFrames.Inbound in = GatewayFrames.parse("""
                {"type":"media-offer","meetingId":"m-1","sdp":"v=0\\r\\n","tracks":[
                 {"mid":"0","socketId":"s1","participantId":"guest:a","kind":"audio","source":"microphone","muted":false},
                 {"mid":"1","socketId":"s1","participantId":"guest:a","kind":"video","source":"camera","muted":true,"later":1}],
                 "unknownField":true}""");
        assertThat(in).isEqualTo(new GatewayFrames.SubscribeOffer("m-1", "v=0\r\n", List.of(
                new RemoteTrack("0", "s1", "guest:a", TrackKind.AUDIO, TrackSource.MICROPHONE, false),
                new RemoteTrack("1", "s1", "guest:a", TrackKind.VIDEO, TrackSource.CAMERA, true))));
    }

    @Test
    void serverFramesAreRecognisedByType() {
        assertThat(GatewayFrames.parse("{\"type\":\"hello\",\"socketId\":\"s9\",\"limits\":{}}"))
                .isEqualTo(new GatewayFrames.Hello("s9"));
        assertThat(GatewayFrames.parse("{\"type\":\"joined\",\"meetingId\":\"m\",\"you\":{}}"))
                .isEqualTo(new GatewayFrames.Joined("m"));
        assertThat(GatewayFrames.parse("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"v=0\"}"))
                .isEqualTo(new GatewayFrames.PublishAnswer("m", "v=0"));
        assertThat(GatewayFrames.parse("{\"type\":\"error\",\"error\":\"media_unavailable\",\"message\":\"x\",\"ref\":\"publish\",\"meetingId\":\"m\"}"))
                .isEqualTo(new GatewayFrames.Error("media_unavailable", "x", "publish", "m"));
        assertThat(GatewayFrames.parse("{\"type\":\"pong\"}")).isEqualTo(new GatewayFrames.Other("pong"));
    }

    @Test
    void mediaMovedAndParticipantLeftAreRecognisedAndMediaSubscribeCarriesTheFingerprint() {
        assertThat(GatewayFrames.parse("{\"type\":\"media-moved\",\"meetingId\":\"m\"}"))
                .isEqualTo(new GatewayFrames.MediaMoved("m"));
        assertThat(GatewayFrames.parse("{\"type\":\"participant-left\",\"meetingId\":\"m\",\"participant\":"
                + "{\"participantId\":\"guest:a\",\"displayName\":\"A\",\"role\":\"guest\",\"socketId\":\"s1\"}}"))
                .isEqualTo(new GatewayFrames.ParticipantLeft("m", "s1"));
        assertThat(GatewayFrames.parse("{\"type\":\"participant-left\",\"meetingId\":\"m\"}"))
                .isEqualTo(new GatewayFrames.ParticipantLeft("m", null));

        JsonNode sub = JSON.readTree(GatewayFrames.mediaSubscribe("m-1", "AB:CD"));
        assertThat(sub.get("type").asText()).isEqualTo("media-subscribe");
        assertThat(sub.get("meetingId").asText()).isEqualTo("m-1");
        assertThat(sub.get("fingerprint").asText()).isEqualTo("AB:CD");
        assertThat(JSON.readTree(GatewayFrames.mediaSubscribe("m-1", null)).has("fingerprint")).isFalse();
    }

    @Test
    void aFrameWithoutStringTypeOrNotJsonIsRefused() {
        assertThatThrownBy(() -> GatewayFrames.parse("{\"type\":3}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayFrames.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayFrames.parse("[1]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void guestTokenIsReadFromTheResponseAndItsAbsenceIsAnError() {
        assertThat(GatewayFrames.guestToken("{\"token\":\"eyJ\"}")).isEqualTo("eyJ");
        assertThatThrownBy(() -> GatewayFrames.guestToken("{}")).isInstanceOf(IllegalArgumentException.class);
        assertThat(JSON.readTree(GatewayFrames.guestRequest("Load 1")).get("displayName").asText()).isEqualTo("Load 1");
    }
}
