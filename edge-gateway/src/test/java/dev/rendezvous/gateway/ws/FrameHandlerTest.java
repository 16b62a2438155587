package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.SignalRequest;
import dev.rendezvous.topics.model.TileView;
import dev.rendezvous.topics.serde.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import dev.rendezvous.gateway.store.MeetingDirectory;
import dev.rendezvous.gateway.store.MeetingRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The frame pipeline without a network, a broker or a database (joins that reach the database are in the IT). */
class FrameHandlerTest {

    private static final int MAX_FRAME = 16384;
    private static final int MAX_SDP_FRAME = 32768;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final FakeEventBus bus = new FakeEventBus();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(meters, () -> 0);
    private final TokenService tokens = new TokenService(new byte[32], Duration.ofHours(1), clock);
    private final GatewayIdentity gateway = new GatewayIdentity("gw-1", 3, "eu-west");
    private final Map<UUID, MeetingRecord> meetingRows = new HashMap<>();
    private final List<String> participantsRecorded = new ArrayList<>();
    private final MeetingDirectory directory = new MeetingDirectory() {
        @Override
        public Mono<MeetingRecord> findById(UUID id) {
            return Mono.justOrEmpty(meetingRows.get(id));
        }

        @Override
        public Mono<Void> recordParticipant(UUID meetingId, UUID userId, Instant now) {
            return Mono.fromRunnable(() -> participantsRecorded.add(meetingId + "/" + userId));
        }

        @Override
        public Mono<Boolean> isInvited(UUID meetingId, UUID userId) {
            invitedAsked.add(userId);
            return Mono.just(invitees.contains(userId));
        }
    };
    private final java.util.Set<UUID> invitees = new java.util.HashSet<>();
    private final List<UUID> invitedAsked = new ArrayList<>();
    private final FrameHandler handler = new FrameHandler(gateway, MAX_FRAME, MAX_SDP_FRAME, tokens, directory, bus, clock,
            metrics);
    private final List<String> out = new ArrayList<>();
    private final List<Integer> closes = new ArrayList<>();
    private final GatewaySocket socket = new GatewaySocket("s-1", null, new TokenBucket(50, 5, clock), 64, metrics,
            (code, reason) -> closes.add(code));

    FrameHandlerTest() {
        socket.outbound().subscribe(out::add);
    }

    @Test
    void shouldAnswerPingWithPong() {
        handle("{\"type\":\"ping\"}");
        assertThat(last().get("type").asString()).isEqualTo("pong");
    }

    @Test
    void shouldAnswerGarbageWithBadFrameAndStayUsable() {
        handle("this is not json");
        assertThat(lastError()).isEqualTo("bad_frame");
        handle("{\"type\":\"ping\"}");
        assertThat(last().get("type").asString()).isEqualTo("pong");
        assertThat(closes).isEmpty();
    }

    @Test
    void shouldRefuseBinaryFrames() {
        handler.handle(socket, new InboundFrame(true, 10, null)).block();
        assertThat(lastError()).isEqualTo("bad_frame");
    }

    @Test
    void shouldRefuseFramesLargerThanTheLimitUnread() {
        handler.handle(socket, new InboundFrame(false, 1_048_576, null)).block();
        assertThat(lastError()).isEqualTo("frame_too_large");
        assertThat(last().get("message").asString()).contains("1048576").contains("16384");
        handle("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(MAX_FRAME) + "\"}");
        assertThat(lastError()).isEqualTo("frame_too_large");
    }

    @Test
    void shouldDropFramesOverTheRateWithRateLimitedAndRecoverWithTime() {
        for (int i = 0; i < 5; i++) {
            handle("{\"type\":\"ping\"}");
        }
        handle("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"late\",\"text\":\"x\"}");
        assertThat(lastError()).isEqualTo("rate_limited");
        assertThat(last().get("ref").asString()).isEqualTo("late");
        clock.advance(Duration.ofMillis(20));
        handle("{\"type\":\"ping\"}");
        assertThat(last().get("type").asString()).isEqualTo("pong");
        assertThat(meters.counter("rendezvous.gateway.errors", "code", "rate_limited").count()).isEqualTo(1);
    }

    @Test
    void shouldRefuseJoinWithoutTokenAsUnauthorized() {
        handle("{\"type\":\"join\",\"meetingId\":\"" + UUID.randomUUID() + "\"}");
        assertThat(lastError()).isEqualTo("unauthorized");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldRefuseJoinWithForgedTokenAsUnauthorized() {
        TokenService forger = new TokenService("x".repeat(32).getBytes(StandardCharsets.UTF_8), Duration.ofHours(1), clock);
        String meeting = UUID.randomUUID().toString();
        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\""
                + forger.issueUser(UUID.randomUUID(), "M").token() + "\"}");
        assertThat(lastError()).isEqualTo("unauthorized");
        assertThat(last().get("ref").asString()).isEqualTo(meeting);
    }

    @Test
    void shouldRefuseGuestTokenOfAnotherMeetingAsForbidden() {
        String token = tokens.issueGuest(UUID.randomUUID(), "G").token();
        handle("{\"type\":\"join\",\"meetingId\":\"" + UUID.randomUUID() + "\",\"token\":\"" + token + "\"}");
        assertThat(lastError()).isEqualTo("forbidden");
    }

    @Test
    void shouldCallAMeetingIdThatIsNoUuidNotFound() {
        String token = tokens.issueUser(UUID.randomUUID(), "U").token();
        handle("{\"type\":\"join\",\"meetingId\":\"abc-defg-hij\",\"token\":\"" + token + "\"}");
        assertThat(lastError()).isEqualTo("meeting_not_found");
    }

    @Test
    void shouldRefuseChatToAMeetingNotJoinedWithTheClientMsgIdAsRef() {
        handle("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c-1\",\"text\":\"hi\"}");
        assertThat(lastError()).isEqualTo("not_joined");
        assertThat(last().get("ref").asString()).isEqualTo("c-1");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldRefuseChatWhileTheJoinIsStillInProgress() {
        socket.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null));
        handle("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c-1\",\"text\":\"hi\"}");
        assertThat(lastError()).isEqualTo("not_joined");
    }

    @Test
    void shouldPublishChatRequestOnceJoined() {
        joined("m");
        clock.advance(Duration.ofSeconds(3));
        handle("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c-1\",\"text\":\"hello\"}");

        assertThat(bus.published).hasSize(1);
        FakeEventBus.Published p = bus.published.get(0);
        assertThat(p.topic()).isEqualTo("chat.message.requested");
        assertThat(p.key()).isEqualTo("m");
        assertThat(p.timestamp()).isEqualTo(clock.instant());
        assertThat(p.value()).isEqualTo(new ChatRequest("m", "s-1", "gw-1", 3, "u-1", "Ann", "c-1", "hello", clock.instant()));
    }

    @Test
    void shouldValidateChatContentOnlyAfterTheJoinedCheck() {
        joined("m");
        handle("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c-1\",\"text\":\"   \"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        handle("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c-2\",\"text\":\"" + "y".repeat(2001) + "\"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldTellTheClientWhenKafkaFailsAndKeepTheSocket() {
        joined("m");
        bus.failWith = new IllegalStateException("broker down");
        handle("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c-1\",\"text\":\"hi\"}");
        assertThat(lastError()).isEqualTo("unavailable");
        assertThat(last().get("ref").asString()).isEqualTo("c-1");
        assertThat(closes).isEmpty();
    }

    @Test
    void shouldPublishLeaveAndConfirmIt() {
        joined("m");
        handle("{\"type\":\"leave\",\"meetingId\":\"m\"}");
        assertThat(last().get("type").asString()).isEqualTo("left");
        MemberRequest leave = (MemberRequest) bus.published.get(0).value();
        assertThat(leave.action()).isEqualTo(MemberRequest.Action.LEAVE);
        assertThat(leave.socketId()).isEqualTo("s-1");
        assertThat(leave.gatewayPartition()).isEqualTo(3);
        handle("{\"type\":\"leave\",\"meetingId\":\"m\"}");
        assertThat(lastError()).isEqualTo("not_joined");
    }

    @Test
    void shouldLeaveEveryMeetingJoinedOrJoiningWhenTheSocketCloses() {
        joined("m1");
        socket.beginJoin(new GatewaySocket.Membership("m2", "u-1", "Ann", Role.USER, false, null));
        handler.leaveAll(socket).block();
        handler.leaveAll(socket).block(); // idempotent: each membership is left once
        assertThat(bus.published).extracting(p -> ((MemberRequest) p.value()).meetingId())
                .containsExactlyInAnyOrder("m1", "m2");
        assertThat(bus.published).allMatch(p -> ((MemberRequest) p.value()).action() == MemberRequest.Action.LEAVE);
    }

    @Test
    void shouldRequestAJoinAsHostWithoutAnsweringUntilStreamAppsDoes() {
        UUID host = UUID.randomUUID();
        UUID meeting = meeting(host, null);
        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + tokens.issueUser(host, "Hal").token() + "\"}");

        assertThat(out).isEmpty(); // no frame until the JOINED delivery comes back
        MemberRequest join = (MemberRequest) bus.published.get(0).value();
        assertThat(bus.published.get(0).key()).isEqualTo(meeting.toString());
        assertThat(join).isEqualTo(new MemberRequest(MemberRequest.Action.JOIN, meeting.toString(), "s-1", "gw-1", 3,
                host.toString(), "Hal", Role.HOST, clock.instant(), null, false, null, null, false, "eu-west"));
        // the meeting's lobby flag, cap and mute-on-entry go along
        assertThat(participantsRecorded).containsExactly(meeting + "/" + host);
        assertThat(socket.membership(meeting.toString()).joined()).isFalse();
    }

    private static final String FINGERPRINT = String.join(":", java.util.Collections.nCopies(32, "AB"));

    @Test
    void shouldPassTheSubscribeFingerprintOfAJoinOnAndRefuseAMalformedOne() {
        UUID host = UUID.randomUUID();
        UUID meeting = meeting(host, null);
        String token = tokens.issueUser(host, "Hal").token();
        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + token
                + "\",\"fingerprint\":\"AB:CD\"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        assertThat(bus.published).isEmpty();
        assertThat(socket.membership(meeting.toString())).isNull();

        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + token
                + "\",\"fingerprint\":\"" + FINGERPRINT + "\"}");
        assertThat(((MemberRequest) bus.published.get(0).value()).mediaFingerprint()).isEqualTo(FINGERPRINT);
    }

    @Test
    void shouldPassThePagesRegionHintOnElseTheGatewaysAndRefuseAMalformedOne() {
        UUID host = UUID.randomUUID();
        UUID meeting = meeting(host, null);
        String token = tokens.issueUser(host, "Hal").token();
        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + token
                + "\",\"region\":\"eu west;drop\"}");
        assertThat(lastError()).isEqualTo("bad_frame");
        assertThat(bus.published).isEmpty();
        assertThat(socket.membership(meeting.toString())).isNull();

        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + token + "\",\"region\":\"ap-south\"}");
        assertThat(((MemberRequest) bus.published.get(0).value()).region()).isEqualTo("ap-south");

        UUID other = meeting(host, null);
        handle("{\"type\":\"join\",\"meetingId\":\"" + other + "\",\"token\":\"" + token + "\"}");
        assertThat(((MemberRequest) bus.published.get(1).value()).region()).isEqualTo("eu-west");
    }

    @Test
    void shouldPassTheSocketAReconnectedPageReplacesOnAndRefuseAnOverlongOne() {
        UUID host = UUID.randomUUID();
        UUID meeting = meeting(host, null);
        String token = tokens.issueUser(host, "Hal").token();
        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + token
                + "\",\"replaces\":\"" + "x".repeat(65) + "\"}");
        assertThat(lastError()).isEqualTo("bad_frame");
        assertThat(bus.published).isEmpty();

        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + token
                + "\",\"replaces\":\"old-socket\"}");
        assertThat(((MemberRequest) bus.published.get(0).value()).replaces()).isEqualTo("old-socket");
    }

    @Test
    void shouldJoinOtherUsersAsUserAndGuestsAsGuestWithoutRecordingGuests() {
        UUID meeting = meeting(UUID.randomUUID(), null);
        UUID user = UUID.randomUUID();
        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + tokens.issueUser(user, "Uma").token() + "\"}");
        GatewaySocket second = new GatewaySocket("s-2", tokens.issueGuest(meeting, "Gus").token(), new TokenBucket(50, 5, clock),
                64, metrics, (code, reason) -> closes.add(code));
        handler.handle(second, InboundFrame.text("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\"}")).block();

        assertThat(bus.published).extracting(p -> ((MemberRequest) p.value()).role()).containsExactly(Role.USER, Role.GUEST);
        MemberRequest guest = (MemberRequest) bus.published.get(1).value();
        assertThat(guest.participantId()).startsWith("guest:");
        assertThat(guest.displayName()).isEqualTo("Gus");
        assertThat(participantsRecorded).containsExactly(meeting + "/" + user);
    }

    @Test
    void shouldMarkAnInvitedUsersJoinToALobbyMeetingSoThatItSkipsTheLobby() {
        UUID host = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        meetingRows.put(id, new MeetingRecord(id, "abc-defg-hij", "T", host, "Host", true, clock.instant(), null));
        UUID invited = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        invitees.add(invited);
        handle("{\"type\":\"join\",\"meetingId\":\"" + id + "\",\"token\":\"" + tokens.issueUser(invited, "Ivy").token() + "\"}");
        GatewaySocket second = new GatewaySocket("s-2", tokens.issueUser(stranger, "Sam").token(), new TokenBucket(50, 5, clock),
                64, metrics, (code, reason) -> closes.add(code));
        handler.handle(second, InboundFrame.text("{\"type\":\"join\",\"meetingId\":\"" + id + "\"}")).block();

        assertThat(bus.published).extracting(p -> ((MemberRequest) p.value()).invited()).containsExactly(true, null);
        assertThat(bus.published).extracting(p -> ((MemberRequest) p.value()).lobby()).containsOnly(true);
        // without a lobby nobody is asked
        invitedAsked.clear();
        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting(host, null) + "\",\"token\":\""
                + tokens.issueUser(invited, "Ivy").token() + "\"}");
        assertThat(invitedAsked).isEmpty();
    }

    @Test
    void shouldAnswerUnknownAndEndedMeetingsWithoutPublishing() {
        String token = tokens.issueUser(UUID.randomUUID(), "U").token();
        handle("{\"type\":\"join\",\"meetingId\":\"" + UUID.randomUUID() + "\",\"token\":\"" + token + "\"}");
        assertThat(lastError()).isEqualTo("meeting_not_found");
        UUID ended = meeting(UUID.randomUUID(), clock.instant());
        handle("{\"type\":\"join\",\"meetingId\":\"" + ended + "\",\"token\":\"" + token + "\"}");
        assertThat(lastError()).isEqualTo("meeting_ended");
        assertThat(bus.published).isEmpty();
        assertThat(socket.membership(ended.toString())).isNull();
    }

    @Test
    void shouldRefuseASecondJoinOfTheSameMeeting() {
        UUID meeting = meeting(UUID.randomUUID(), null);
        String join = "{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\""
                + tokens.issueUser(UUID.randomUUID(), "U").token() + "\"}";
        handle(join);
        handle(join);
        assertThat(lastError()).isEqualTo("already_joined");
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void shouldForgetAJoinThatCouldNotBePublished() {
        UUID meeting = meeting(UUID.randomUUID(), null);
        bus.failWith = new IllegalStateException("broker down");
        handle("{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\""
                + tokens.issueUser(UUID.randomUUID(), "U").token() + "\"}");
        assertThat(lastError()).isEqualTo("unavailable");
        assertThat(socket.membership(meeting.toString())).isNull();
    }

    // ---- media signaling

    private static final String SDP = "v=0\\r\\no=- 4611 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n";
    private static final String SDP_VALUE = "v=0\r\no=- 4611 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String TRACKS = "[{\"mid\":\"0\",\"kind\":\"audio\",\"source\":\"microphone\",\"muted\":false},"
            + "{\"mid\":\"1\",\"kind\":\"video\",\"source\":\"camera\",\"muted\":true}]";

    @Test
    void shouldRefuseMediaFramesForAMeetingNotJoinedWithTheConnectionAsRef() {
        paced("{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"" + SDP + "\",\"tracks\":" + TRACKS + "}");
        assertThat(lastError()).isEqualTo("not_joined");
        assertThat(last().get("ref").asString()).isEqualTo("publish");
        assertThat(last().get("meetingId").asString()).isEqualTo("m");
        socket.beginJoin(new GatewaySocket.Membership("m", "u-1", "Ann", Role.USER, false, null)); // joining is not enough
        paced("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"" + SDP + "\"}");
        assertThat(lastError()).isEqualTo("not_joined");
        assertThat(last().get("ref").asString()).isEqualTo("subscribe");
        paced("{\"type\":\"media-state\",\"meetingId\":\"m\",\"tracks\":" + TRACKS + "}");
        assertThat(lastError()).isEqualTo("not_joined");
        assertThat(last().get("ref").asString()).isEqualTo("media");
        paced("{\"type\":\"media-state\",\"tracks\":" + TRACKS + "}");
        assertThat(lastError()).isEqualTo("not_joined");
        paced("{\"type\":\"media-subscribe\",\"meetingId\":\"m\"}");
        assertThat(lastError()).isEqualTo("not_joined");
        assertThat(last().get("ref").asString()).isEqualTo("subscribe");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldPublishAMediaSubscribeAsSignalRequest() {
        joined("m");
        paced("{\"type\":\"media-subscribe\",\"meetingId\":\"m\"}");

        assertThat(bus.published).hasSize(1);
        FakeEventBus.Published p = bus.published.get(0);
        assertThat(p.topic()).isEqualTo("signal.client.requested");
        assertThat(p.key()).isEqualTo("m");
        assertThat(p.value()).isEqualTo(new SignalRequest("m", "s-1", "gw-1", 3, "u-1", SignalRequest.Kind.SUBSCRIBE,
                MediaSignal.subscribe(null), clock.instant()));

        paced("{\"type\":\"media-subscribe\",\"meetingId\":\"m\",\"fingerprint\":\"" + FINGERPRINT + "\"}");
        assertThat(((SignalRequest) bus.published.get(1).value()).signal().fingerprint()).isEqualTo(FINGERPRINT);
        paced("{\"type\":\"media-subscribe\",\"meetingId\":\"m\",\"fingerprint\":\"sha-256 AB\"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        assertThat(last().get("ref").asString()).isEqualTo("subscribe");
        assertThat(bus.published).hasSize(2);
    }

    @Test
    void shouldPublishAPublishOfferAsSignalRequest() {
        joined("m");
        clock.advance(Duration.ofSeconds(2));
        paced("{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"" + SDP + "\",\"tracks\":" + TRACKS + "}");

        assertThat(out).hasSize(1); // only the joined frame: no answer from the gateway itself
        assertThat(bus.published).hasSize(1);
        FakeEventBus.Published p = bus.published.get(0);
        assertThat(p.topic()).isEqualTo("signal.client.requested");
        assertThat(p.key()).isEqualTo("m");
        assertThat(p.timestamp()).isEqualTo(clock.instant());
        assertThat(p.value()).isEqualTo(new SignalRequest("m", "s-1", "gw-1", 3, "u-1", SignalRequest.Kind.OFFER,
                MediaSignal.offer(MediaSignal.Pc.PUBLISH, SDP_VALUE, List.of(
                        new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, false),
                        new MediaTrack("1", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, true))),
                clock.instant()));
    }

    @Test
    void shouldPublishASubscribeAnswerAndATrackUpdate() {
        joined("m");
        paced("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"" + SDP + "\"}");
        paced("{\"type\":\"media-state\",\"meetingId\":\"m\",\"tracks\":[{\"mid\":\"0\",\"kind\":\"audio\","
                + "\"source\":\"microphone\",\"muted\":true}]}");

        assertThat(bus.published).hasSize(2);
        assertThat(bus.published).allMatch(p -> p.topic().equals("signal.client.requested") && p.key().equals("m"));
        assertThat(bus.published.get(0).value()).isEqualTo(new SignalRequest("m", "s-1", "gw-1", 3, "u-1",
                SignalRequest.Kind.ANSWER, MediaSignal.answer(MediaSignal.Pc.SUBSCRIBE, SDP_VALUE), clock.instant().minusSeconds(1)));
        assertThat(bus.published.get(1).value()).isEqualTo(new SignalRequest("m", "s-1", "gw-1", 3, "u-1",
                SignalRequest.Kind.TRACK_UPDATE, MediaSignal.trackUpdate(List.of(
                        new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true))),
                clock.instant()));
    }

    @Test
    void shouldPublishAMediaViewAsATileViewSignalRequest() {
        paced("{\"type\":\"media-view\",\"meetingId\":\"m\",\"tiles\":[]}");
        assertThat(lastError()).isEqualTo("not_joined");
        assertThat(last().get("ref").asString()).isEqualTo("media");
        joined("m");
        paced("{\"type\":\"media-view\",\"meetingId\":\"m\",\"tiles\":[{\"socketId\":\"s-2\",\"source\":\"camera\","
                + "\"width\":320,\"height\":180},{\"socketId\":\"s-2\",\"source\":\"screen\",\"hidden\":true}]}");

        assertThat(bus.published).hasSize(1);
        FakeEventBus.Published p = bus.published.get(0);
        assertThat(p.topic()).isEqualTo("signal.client.requested");
        assertThat(p.key()).isEqualTo("m");
        assertThat(p.value()).isEqualTo(new SignalRequest("m", "s-1", "gw-1", 3, "u-1", SignalRequest.Kind.TILE_VIEW,
                MediaSignal.tileView(List.of(TileView.shown("s-2", MediaTrack.Source.CAMERA, 320, 180),
                        TileView.hidden("s-2", MediaTrack.Source.SCREEN))), clock.instant()));
    }

    @Test
    void shouldPublishMediaStatsOnAndOffAsStatsSignalRequestsAndRefuseAMissingOn() {
        paced("{\"type\":\"media-stats\",\"meetingId\":\"m\",\"on\":true}");
        assertThat(lastError()).isEqualTo("not_joined");
        joined("m");
        paced("{\"type\":\"media-stats\",\"meetingId\":\"m\"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        assertThat(last().get("ref").asString()).isEqualTo("media");
        paced("{\"type\":\"media-stats\",\"meetingId\":\"m\",\"on\":\"yes\"}");
        assertThat(lastError()).isEqualTo("bad_frame");
        assertThat(bus.published).isEmpty();

        paced("{\"type\":\"media-stats\",\"meetingId\":\"m\",\"on\":true}");
        paced("{\"type\":\"media-stats\",\"meetingId\":\"m\",\"on\":false}");

        assertThat(bus.published).extracting(p -> ((SignalRequest) p.value()).kind())
                .containsExactly(SignalRequest.Kind.STATS_START, SignalRequest.Kind.STATS_STOP);
        assertThat(bus.published.get(0).topic()).isEqualTo("signal.client.requested");
    }

    @Test
    void shouldRefuseABadMediaViewWithAnErrorFrameAndKeepTheSocket() {
        joined("m");
        String[] bad = {
                "[{\"socketId\":\"s-2\",\"source\":\"camera\",\"width\":0,\"height\":180}]",
                "[{\"socketId\":\"s-2\",\"source\":\"camera\",\"width\":99999,\"height\":180}]",
                "[{\"socketId\":\"s-2\",\"source\":\"camera\"}]",
                "[{\"socketId\":\"s-2\",\"source\":\"microphone\",\"width\":320,\"height\":180}]",
                "[{\"source\":\"camera\",\"width\":320,\"height\":180}]",
                "[{\"socketId\":\"s-2\",\"source\":\"camera\",\"hidden\":true},"
                        + "{\"socketId\":\"s-2\",\"source\":\"camera\",\"hidden\":true}]"};
        for (String tiles : bad) {
            paced("{\"type\":\"media-view\",\"meetingId\":\"m\",\"tiles\":" + tiles + "}");
            assertThat(lastError()).as(tiles).isEqualTo("invalid_message");
            assertThat(last().get("ref").asString()).isEqualTo("media");
        }
        for (String tiles : new String[] {"{}", "[{\"socketId\":\"s-2\",\"source\":\"camera\",\"width\":1.5,\"height\":2}]",
                "[{\"socketId\":\"s-2\",\"source\":\"camera\",\"width\":\"320\",\"height\":180}]",
                "[{\"socketId\":\"s-2\",\"source\":\"camera\",\"hidden\":\"yes\"}]"}) {
            paced("{\"type\":\"media-view\",\"meetingId\":\"m\",\"tiles\":" + tiles + "}");
            assertThat(lastError()).as(tiles).isEqualTo("bad_frame");
            assertThat(last().get("ref").asString()).isEqualTo("media");
        }
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= FrameValidator.MAX_TILES; i++) {
            many.append(i == 0 ? "" : ",").append("{\"socketId\":\"s").append(i).append("\",\"source\":\"camera\",\"hidden\":true}");
        }
        paced("{\"type\":\"media-view\",\"meetingId\":\"m\",\"tiles\":" + many + "]}");
        assertThat(lastError()).isEqualTo("bad_frame");
        assertThat(bus.published).isEmpty();
        // the socket goes on: a good frame after the bad ones is published
        paced("{\"type\":\"media-view\",\"meetingId\":\"m\",\"tiles\":[]}");
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void shouldValidateMediaContentOnlyAfterTheJoinedCheck() {
        joined("m");
        paced("{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"hello\",\"tracks\":" + TRACKS + "}");
        assertThat(lastError()).isEqualTo("invalid_message");
        assertThat(last().get("ref").asString()).isEqualTo("publish");
        paced("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"\"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        assertThat(last().get("ref").asString()).isEqualTo("subscribe");
        paced("{\"type\":\"media-answer\",\"meetingId\":\"m\"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        paced("{\"type\":\"media-state\",\"meetingId\":\"m\",\"tracks\":[{\"mid\":\"0\",\"kind\":\"audio\",\"source\":\"tuba\"}]}");
        assertThat(lastError()).isEqualTo("invalid_message");
        assertThat(last().get("ref").asString()).isEqualTo("media");
        paced("{\"type\":\"media-state\",\"meetingId\":\"m\",\"tracks\":[]}");
        assertThat(lastError()).isEqualTo("invalid_message");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",").append("{\"mid\":\"").append(i).append("\",\"kind\":\"video\",\"source\":\"camera\"}");
        }
        paced("{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"" + SDP + "\",\"tracks\":" + many + "]}");
        assertThat(lastError()).isEqualTo("invalid_message");
        paced("{\"type\":\"media-offer\",\"meetingId\":\"m\",\"sdp\":\"" + SDP + "\",\"tracks\":\"all\"}");
        assertThat(lastError()).isEqualTo("bad_frame");
        assertThat(last().get("ref").asString()).isEqualTo("publish");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldTellTheClientWhenKafkaCannotTakeASignal() {
        joined("m");
        bus.failWith = new IllegalStateException("broker down");
        paced("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"" + SDP + "\"}");
        assertThat(lastError()).isEqualTo("unavailable");
        assertThat(last().get("ref").asString()).isEqualTo("subscribe");
        assertThat(last().get("meetingId").asString()).isEqualTo("m");
    }

    @Test
    void shouldTakeAnSdpOfTwoHundredKibibytesUnderTheDefaultLimits() {
        // a subscribe answer in a 100-person room with cameras: ~200 m-sections
        FrameHandler defaults = new FrameHandler(gateway, 65536, 266240, tokens, directory, bus, clock, metrics);
        joined("m");
        String big = "v=0\\r\\n" + "a=x-pad:0123456789abcdef0123456789abcdef0123456789abcdef0123456789\\r\\n".repeat(2_900);
        String frame = "{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"" + big + "\"}";
        assertThat(frame.length()).isBetween(200_000, 262_144);
        defaults.handle(socket, InboundFrame.text(frame)).block();
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void shouldHoldOtherFramesToTheSmallerLimitWhileSdpFramesMayBeLarger() {
        joined("m");
        String pad = "x".repeat(MAX_FRAME + 100); // over MAX_FRAME, under MAX_SDP_FRAME
        paced("{\"type\":\"chat\",\"meetingId\":\"m\",\"clientMsgId\":\"c1\",\"text\":\"hi\",\"pad\":\"" + pad + "\"}");
        assertThat(lastError()).isEqualTo("frame_too_large");
        assertThat(bus.published).isEmpty();

        paced("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"" + SDP + "\",\"pad\":\"" + pad + "\"}");
        assertThat(bus.published).hasSize(1);

        paced("{\"type\":\"media-answer\",\"meetingId\":\"m\",\"sdp\":\"" + "y".repeat(MAX_SDP_FRAME) + "\"}");
        assertThat(lastError()).isEqualTo("frame_too_large");
        assertThat(bus.published).hasSize(1);
    }

    private UUID meeting(UUID host, Instant endedAt) {
        UUID id = UUID.randomUUID();
        meetingRows.put(id, new MeetingRecord(id, "abc-defg-hij", "T", host, "Host", false, clock.instant(), endedAt));
        return id;
    }

    private void joined(String meetingId) {
        socket.beginJoin(new GatewaySocket.Membership(meetingId, "u-1", "Ann", Role.USER, false, null));
        Participant you = new Participant("u-1", "Ann", Role.USER, "s-1");
        socket.deliver(RoomEvent.joined(meetingId, you, List.of(you)));
        assertThat(last().get("type").asString()).isEqualTo("joined");
    }

    /** Like {@link #handle}, a second later: the bucket of this test's socket holds only 5 frames. */
    private void paced(String text) {
        clock.advance(Duration.ofSeconds(1));
        handle(text);
    }

    private void handle(String text) {
        handler.handle(socket, InboundFrame.text(text)).block();
    }

    private JsonNode last() {
        assertThat(out).isNotEmpty();
        return Json.mapper().readTree(out.get(out.size() - 1));
    }

    private String lastError() {
        JsonNode f = last();
        assertThat(f.get("type").asString()).isEqualTo("error");
        return f.get("error").asString();
    }
}
