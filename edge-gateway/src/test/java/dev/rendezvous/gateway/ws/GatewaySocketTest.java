package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaStats;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

class GatewaySocketTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(meters, () -> 0);
    private final List<Integer> closes = new ArrayList<>();
    private final Participant me = new Participant("u-1", "Ann", Role.USER, "s-1");
    private final Participant bob = new Participant("u-2", "Bob", Role.GUEST, "s-2");

    private GatewaySocket socket(int buffer) {
        return new GatewaySocket("s-1", null, new TokenBucket(50, 100, clock), buffer, metrics, (code, reason) -> closes.add(code));
    }

    @Test
    void shouldCompleteAJoinInProgressWhenJoinedArrives() {
        GatewaySocket s = socket(16);
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.joined("m", me, List.of(me, bob)));
        s.completeOutbound();

        assertThat(s.membership("m").joined()).isTrue();
        StepVerifier.create(s.outbound())
                .assertNext(f -> assertThat(f).contains("\"type\":\"joined\"").contains("\"you\"").contains("Bob"))
                .verifyComplete();
    }

    @Test
    void shouldIgnoreJoinedForAMeetingTheSocketIsNotJoining() {
        GatewaySocket s = socket(16);
        s.deliver(RoomEvent.joined("m", me, List.of(me)));
        s.completeOutbound();
        assertThat(s.membership("m")).isNull();
        StepVerifier.create(s.outbound()).verifyComplete();
    }

    @Test
    void shouldPushRoomTrafficOnlyToJoinedSockets() {
        GatewaySocket s = socket(16);
        ChatMessage msg = new ChatMessage("m", 7, "c-1", "u-2", "Bob", "hi", Instant.parse("2030-01-01T00:00:01Z"));
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.chat(msg)); // still joining: not for us yet
        s.deliver(RoomEvent.joined("m", me, List.of(me)));
        s.deliver(RoomEvent.chat(msg));
        s.deliver(RoomEvent.participantJoined("m", bob));
        s.deliver(RoomEvent.participantLeft("m", bob));
        s.completeOutbound();
        StepVerifier.create(s.outbound())
                .assertNext(f -> assertThat(f).contains("\"joined\""))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"chat\",\"meetingId\":\"m\",\"seq\":7,\"clientMsgId\":\"c-1\","
                        + "\"from\":{\"participantId\":\"u-2\",\"displayName\":\"Bob\"},\"text\":\"hi\",\"sentAt\":\"2030-01-01T00:00:01Z\"}"))
                .assertNext(f -> assertThat(f).contains("\"participant-joined\"").contains("\"socketId\":\"s-2\""))
                .assertNext(f -> assertThat(f).contains("\"participant-left\""))
                .verifyComplete();
    }

    @Test
    void shouldShowRejectionAndEndAJoinInProgress() {
        GatewaySocket s = socket(16);
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.rejected("m", "lobby_closed", "the host closed the lobby", "m"));
        s.completeOutbound();
        assertThat(s.membership("m")).isNull();
        StepVerifier.create(s.outbound())
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"error\",\"error\":\"lobby_closed\","
                        + "\"message\":\"the host closed the lobby\",\"ref\":\"m\",\"meetingId\":\"m\"}"))
                .verifyComplete();
    }

    @Test
    void shouldKeepAJoinedMembershipWhenAChatIsRejected() {
        GatewaySocket s = socket(16);
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.joined("m", me, List.of(me)));
        s.deliver(RoomEvent.rejected("m", "invalid_message", "too long", "c-9"));
        assertThat(s.membership("m").joined()).isTrue();
    }

    @Test
    void shouldEndTheMembershipWhenTheSocketItselfIsReportedGone() {
        GatewaySocket s = socket(16);
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.joined("m", me, List.of(me)));
        s.deliver(RoomEvent.participantLeft("m", me));
        assertThat(s.membership("m")).isNull();
    }

    @Test
    void shouldDropASlowConsumerWith1013WhenItsQueueOverflows() {
        GatewaySocket s = socket(3);
        s.outbound().subscribe(new BaseSubscriber<String>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // subscribed, but never reads
            }
        });
        for (int i = 0; i < 3; i++) {
            assertThat(s.send("{\"n\":" + i + "}")).isTrue();
        }
        assertThat(s.send("{\"n\":3}")).isFalse();
        assertThat(s.send("{\"n\":4}")).isFalse();

        assertThat(closes).containsExactly(GatewaySocket.SLOW_CONSUMER_CODE);
        assertThat(meters.counter("rendezvous.gateway.sockets.dropped", "reason", "slow_consumer").count()).isEqualTo(1);
        StepVerifier.create(s.dropped()).expectComplete().verify(Duration.ofSeconds(1));
    }

    @Test
    void shouldNotJoinTheSameMeetingTwice() {
        GatewaySocket s = socket(4);
        assertThat(s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null))).isTrue();
        assertThat(s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null))).isFalse();
        assertThat(s.drainMemberships()).hasSize(1);
        assertThat(s.drainMemberships()).isEmpty();
    }

    @Test
    void shouldRenderTheForwardersSignalsAsMediaFrames() {
        GatewaySocket s = socket(16);
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.joined("m", me, List.of(me, bob)));
        s.deliver(RoomEvent.signal("m", "ANSWER", MediaSignal.answer(MediaSignal.Pc.PUBLISH, "v=0\r\na")));
        s.deliver(RoomEvent.signal("m", "OFFER", MediaSignal.offer(MediaSignal.Pc.SUBSCRIBE, "v=0\r\nb", List.of(
                new MediaTrack("0", "s-2", "u-2", MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, false),
                new MediaTrack("1", "s-2", "u-2", MediaTrack.Kind.VIDEO, MediaTrack.Source.SCREEN, true)))));
        s.deliver(RoomEvent.signal("m", "ERROR", MediaSignal.error(MediaSignal.Pc.PUBLISH, "bad_offer", "no usable codec")));
        s.deliver(RoomEvent.signal("m", "ERROR", MediaSignal.error(MediaSignal.Pc.SUBSCRIBE, "media_unavailable", "no forwarder")));
        s.deliver(RoomEvent.signal("m", "ERROR", MediaSignal.error(null, "media_unavailable", null)));
        s.deliver(RoomEvent.activeSpeaker("m", "s-2"));
        s.deliver(RoomEvent.activeSpeaker("m", null));
        s.deliver(RoomEvent.signal("m", "MEDIA_STATS", MediaSignal.stats(new MediaStats(850_000, true, 0.0234, 31.25,
                List.of(new MediaStats.TrackStats("s-2", MediaTrack.Source.CAMERA, MediaStats.State.FORWARDING, 1, 0, 3,
                        640, 480_000))))));
        s.deliver(RoomEvent.signal("m", "MEDIA_STATS", MediaSignal.empty())); // no stats: no frame
        s.deliver(RoomEvent.signal("m", "SOMETHING_NEW", MediaSignal.empty())); // no frame for it
        s.completeOutbound();
        StepVerifier.create(s.outbound())
                .assertNext(f -> assertThat(f).contains("\"joined\""))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"v=0\\r\\na\"}"))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"v=0\\r\\nb\","
                        + "\"tracks\":[{\"mid\":\"0\",\"socketId\":\"s-2\",\"participantId\":\"u-2\",\"kind\":\"audio\","
                        + "\"source\":\"microphone\",\"muted\":false},{\"mid\":\"1\",\"socketId\":\"s-2\",\"participantId\":\"u-2\","
                        + "\"kind\":\"video\",\"source\":\"screen\",\"muted\":true}]}"))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"error\",\"error\":\"bad_offer\","
                        + "\"message\":\"no usable codec\",\"ref\":\"publish\",\"meetingId\":\"m\"}"))
                .assertNext(f -> assertThat(f).contains("\"error\":\"media_unavailable\"").contains("\"ref\":\"subscribe\""))
                .assertNext(f -> assertThat(f).contains("\"error\":\"media_unavailable\"").contains("\"ref\":\"media\"")
                        .contains("\"message\":"))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"active-speaker\",\"meetingId\":\"m\",\"socketId\":\"s-2\"}"))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"active-speaker\",\"meetingId\":\"m\"}"))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"media-stats\",\"meetingId\":\"m\",\"estimate\":850000,"
                        + "\"congested\":true,\"loss\":0.023,\"rtt\":31.3,\"tracks\":[{\"socketId\":\"s-2\",\"source\":\"camera\","
                        + "\"state\":\"forwarding\",\"layer\":1,\"target\":0,\"layers\":3,\"width\":640,\"bitrate\":480000}]}"))
                .verifyComplete();
        assertThat(meters.counter("rendezvous.gateway.errors", "code", "media_unavailable").count()).isEqualTo(2);
        assertThat(s.membership("m").joined()).isTrue(); // a media error does not touch the membership
    }

    @Test
    void shouldPushSignalsAndSpeakersOnlyToJoinedSockets() {
        GatewaySocket s = socket(16);
        s.deliver(RoomEvent.signal("m", "ANSWER", MediaSignal.answer(MediaSignal.Pc.PUBLISH, "v=0")));
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.signal("m", "OFFER", MediaSignal.offer(MediaSignal.Pc.SUBSCRIBE, "v=0", List.of())));
        s.deliver(RoomEvent.activeSpeaker("m", "s-2"));
        s.completeOutbound();
        StepVerifier.create(s.outbound()).verifyComplete();
    }

    @Test
    void shouldTellJoinedSocketsAboutSomeonesMuteChangeAsParticipantMedia() {
        GatewaySocket s = socket(16);
        s.deliver(RoomEvent.mediaState("m", "s-2", List.of(
                new MediaTrack(null, "s-2", "u-2", MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true))));
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.joined("m", me, List.of(me, bob)));
        s.deliver(RoomEvent.mediaState("m", "s-2", List.of(
                new MediaTrack(null, "s-2", "u-2", MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true),
                new MediaTrack(null, "s-2", "u-2", MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, false))));
        s.deliver(RoomEvent.mediaState("m", "s-2", List.of())); // nothing to say: no frame
        s.completeOutbound();
        StepVerifier.create(s.outbound())
                .assertNext(f -> assertThat(f).contains("\"joined\""))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"participant-media\",\"meetingId\":\"m\",\"socketId\":\"s-2\","
                        + "\"tracks\":[{\"kind\":\"audio\",\"source\":\"microphone\",\"muted\":true},"
                        + "{\"kind\":\"video\",\"source\":\"camera\",\"muted\":false}]}"))
                .verifyComplete();
    }

    @Test
    void shouldTellOnlyAJoinedSocketThatTheMediaMoved() {
        GatewaySocket s = socket(16);
        s.deliver(RoomEvent.mediaMoved("m", "fwd-2"));   // not in the meeting yet: nothing
        s.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        s.deliver(RoomEvent.joined("m", me, List.of(me, bob)));
        s.deliver(RoomEvent.mediaMoved("m", "fwd-2"));
        s.completeOutbound();
        StepVerifier.create(s.outbound())
                .assertNext(f -> assertThat(f).contains("\"joined\""))
                .assertNext(f -> assertThat(f).isEqualTo("{\"type\":\"media-moved\",\"meetingId\":\"m\"}"))
                .verifyComplete();
    }
}
