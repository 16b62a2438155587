package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.store.MeetingDirectory;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Reaction;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.serde.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Host-control frames in and out of a socket, without a broker: what is requested, what is shown, what ends a membership. */
class HostActionFramesTest {

    private static final String M = "6f1c1b8e-0000-4000-8000-000000000001";
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final FakeEventBus bus = new FakeEventBus();
    private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), () -> 0);
    private final MeetingDirectory directory = new MeetingDirectory() {
        @Override
        public Mono<MeetingRecord> findById(UUID id) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> recordParticipant(UUID meetingId, UUID userId, Instant now) {
            return Mono.empty();
        }
    };
    private final FrameHandler handler = new FrameHandler(new GatewayIdentity("gw-1", 3), 16384, 32768,
            new TokenService(new byte[32], Duration.ofHours(1), clock), directory, bus, clock, metrics);
    private final List<String> out = new ArrayList<>();
    private final GatewaySocket socket = new GatewaySocket("s-1", null, new TokenBucket(1000, 1000, clock), 64, metrics,
            (code, reason) -> { });

    HostActionFramesTest() {
        socket.outbound().subscribe(out::add);
    }

    @Test
    void shouldRequestAHostActionForAJoinedMeetingWithTheSocketsIdentityAndReplyAddress() {
        joined(Role.HOST);
        handle("{\"type\":\"host-action\",\"meetingId\":\"" + M + "\",\"action\":\"mute\",\"participantId\":\"u-9\","
                + "\"video\":true,\"allowUnmute\":false,\"requestId\":\"r-1\"}");
        HostActionRequest r = (HostActionRequest) bus.published.get(0).value();
        assertThat(bus.published.get(0).topic()).isEqualTo("room.host.requested");
        assertThat(bus.published.get(0).key()).isEqualTo(M);
        assertThat(r.action()).isEqualTo(Action.MUTE);
        assertThat(r.requestId()).isEqualTo("u-1:r-1");
        assertThat(r.actorParticipantId()).isEqualTo("u-1");
        assertThat(r.actorSocketId()).isEqualTo("s-1");
        assertThat(r.replyTo()).isEqualTo("s-1");
        assertThat(r.gatewayId()).isEqualTo("gw-1");
        assertThat(r.gatewayPartition()).isEqualTo(3);
        assertThat(r.actorOwnsMeeting()).isTrue();
        assertThat(r.target()).isEqualTo("u-9");
        assertThat(r.mute()).isEqualTo(new HostActionRequest.Mute(false, true, false));
    }

    @Test
    void shouldTurnHandAndReactionFramesIntoRequestsAcceptingTheEmojiToo() {
        joined(Role.USER);
        handle("{\"type\":\"raise-hand\",\"meetingId\":\"" + M + "\"}");
        handle("{\"type\":\"lower-hand\",\"meetingId\":\"" + M + "\",\"participantId\":\"u-2\"}");
        handle("{\"type\":\"reaction\",\"meetingId\":\"" + M + "\",\"reaction\":\"\uD83C\uDF89\"}");
        handle("{\"type\":\"reaction\",\"meetingId\":\"" + M + "\",\"reaction\":\"thumbs_up\"}");
        List<HostActionRequest> rs = bus.published.stream().map(p -> (HostActionRequest) p.value()).toList();
        assertThat(rs).extracting(HostActionRequest::action)
                .containsExactly(Action.RAISE_HAND, Action.LOWER_HAND, Action.REACT, Action.REACT);
        assertThat(rs.get(1).target()).isEqualTo("u-2");
        assertThat(rs).extracting(HostActionRequest::reaction).containsExactly(null, null, Reaction.PARTY, Reaction.THUMBS_UP);
        assertThat(rs.get(0).actorOwnsMeeting()).isFalse();
        assertThat(rs).extracting(HostActionRequest::requestId).doesNotHaveDuplicates();
    }

    @Test
    void shouldRefuseActionsOfANotJoinedSocketUnknownActionsAndBadReactionsWithoutPublishing() {
        handle("{\"type\":\"host-action\",\"meetingId\":\"" + M + "\",\"action\":\"end\"}");
        assertThat(lastError()).isEqualTo("not_joined");
        joined(Role.HOST);
        handle("{\"type\":\"host-action\",\"meetingId\":\"" + M + "\",\"action\":\"explode\"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        handle("{\"type\":\"reaction\",\"meetingId\":\"" + M + "\",\"reaction\":\"poop\"}");
        assertThat(lastError()).isEqualTo("invalid_message");
        handle("{\"type\":\"host-action\",\"meetingId\":\"" + M + "\",\"action\":\"mute\",\"audio\":\"yes\"}");
        assertThat(lastError()).isEqualTo("bad_frame");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldShowARefusalAsAnErrorWithTheClientsRequestIdAndAnApplicationAsHostResult() {
        joined(Role.USER);
        socket.deliver(RoomEvent.host(RoomEvent.Type.HOST_RESULT, M, HostEvent.result("u-1:r-7", Action.REMOVE,
                HostEvent.Outcome.FORBIDDEN, "forbidden", "only the host and co-hosts may do this", null)));
        JsonNode e = last();
        assertThat(e.get("type").asString()).isEqualTo("error");
        assertThat(e.get("error").asString()).isEqualTo("forbidden");
        assertThat(e.get("ref").asString()).isEqualTo("r-7");
        socket.deliver(RoomEvent.host(RoomEvent.Type.HOST_RESULT, M, HostEvent.result("u-1:r-8", Action.LOBBY_OFF,
                HostEvent.Outcome.APPLIED, null, null, null)));
        assertThat(last().get("type").asString()).isEqualTo("host-result");
        assertThat(last().get("requestId").asString()).isEqualTo("r-8");
        assertThat(last().get("action").asString()).isEqualTo("lobby-off");
    }

    @Test
    void shouldLeaveTheMeetingWhenRemovedAndDropItsTrafficAfterwards() {
        joined(Role.USER);
        socket.deliver(RoomEvent.host(RoomEvent.Type.REMOVED, M,
                HostEvent.about("u-1").withReason(HostEvent.Reason.REMOVED_BY_HOST).withBy("h", "r")));
        assertThat(last().get("type").asString()).isEqualTo("removed");
        assertThat(last().get("reason").asString()).isEqualTo("removed_by_host");
        assertThat(socket.membership(M)).isNull();
        int before = out.size();
        socket.deliver(RoomEvent.host(RoomEvent.Type.HAND, M, HostEvent.about("x").withHand(true)));
        assertThat(out).hasSize(before);
        handle("{\"type\":\"raise-hand\",\"meetingId\":\"" + M + "\"}");
        assertThat(lastError()).isEqualTo("not_joined");
    }

    @Test
    void shouldShowTheLobbyToAJoiningSocketAndEndItsJoinWhenTheMeetingEnds() {
        socket.beginJoin(new GatewaySocket.Membership(M, "u-1", "Ann", Role.USER, false, null));
        socket.deliver(RoomEvent.host(RoomEvent.Type.LOBBY, M, HostEvent.about("u-1").withReason(HostEvent.Reason.WAITING_FOR_HOST)));
        assertThat(last().get("type").asString()).isEqualTo("lobby");
        assertThat(socket.membership(M).joined()).isFalse();
        socket.deliver(RoomEvent.host(RoomEvent.Type.MEETING_ENDED, M,
                HostEvent.about(null).withReason(HostEvent.Reason.ENDED_BY_HOST).withBy("h", "r")));
        assertThat(last().get("type").asString()).isEqualTo("meeting-ended");
        assertThat(last().get("by").asString()).isEqualTo("h");
        assertThat(socket.membership(M)).isNull();
    }

    @Test
    void shouldCarryTheRunningRecordingInTheRoomStateAndLeaveItOutWhenNone() {
        socket.beginJoin(new GatewaySocket.Membership(M, "u-1", "Ann", Role.USER, false, null));
        Participant you = new Participant("u-1", "Ann", Role.USER, "s-1");
        socket.deliver(new RoomEvent(RoomEvent.Type.JOINED, M, you, List.of(you), null, null, null, null, null,
                HostEvent.state(new HostEvent.RoomState("h", List.of(), false, false, List.of(),
                        new HostEvent.Recording("rec-1", java.time.Instant.parse("2026-12-05T10:00:00Z"), "h")))));
        JsonNode rec = last().get("room").get("recording");
        assertThat(rec.get("recordingId").asString()).isEqualTo("rec-1");
        assertThat(rec.get("startedAt").asString()).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(rec.get("by").asString()).isEqualTo("h");
        socket.deliver(RoomEvent.host(RoomEvent.Type.ROOM_STATE, M,
                HostEvent.state(new HostEvent.RoomState("h", List.of(), false, false, List.of()))));
        assertThat(last().get("type").asString()).isEqualTo("room-state");
        assertThat(last().get("room").has("recording")).isFalse();
    }

    @Test
    void shouldRenderMutesHandsReactionsRolesAndTheRoomStateInJoined() {
        socket.beginJoin(new GatewaySocket.Membership(M, "u-1", "Ann", Role.USER, false, null));
        Participant you = new Participant("u-1", "Ann", Role.USER, "s-1");
        RoomEvent joined = RoomEvent.joined(M, you, List.of(you));
        socket.deliver(new RoomEvent(joined.type(), M, you, List.of(you), null, null, null, null, null,
                HostEvent.state(new HostEvent.RoomState("h", List.of("c"), true, false, List.of("u-1")))));
        JsonNode j = last();
        assertThat(j.get("room").get("host").asString()).isEqualTo("h");
        assertThat(j.get("room").get("locked").asBoolean()).isTrue();
        assertThat(j.get("room").get("raisedHands").get(0).asString()).isEqualTo("u-1");

        socket.deliver(RoomEvent.host(RoomEvent.Type.MUTED, M,
                HostEvent.about("u-1").withMute(new HostActionRequest.Mute(true, false, false)).withBy("h", "r")));
        assertThat(last().get("type").asString()).isEqualTo("muted-by-host");
        assertThat(last().get("audio").asBoolean()).isTrue();
        assertThat(last().get("allowUnmute").asBoolean()).isFalse();
        socket.deliver(RoomEvent.host(RoomEvent.Type.REACTION, M, HostEvent.about("c").withReaction(Reaction.HEART)));
        assertThat(last().get("reaction").asString()).isEqualTo("heart");
        assertThat(last().get("emoji").asString()).isEqualTo("\u2764\uFE0F");
        socket.deliver(RoomEvent.host(RoomEvent.Type.ROLE_CHANGED, M,
                HostEvent.about("c").withRole(Role.HOST, HostEvent.Reason.HOST_LEFT)));
        assertThat(last().get("type").asString()).isEqualTo("role-changed");
        assertThat(last().get("role").asString()).isEqualTo("HOST");
        assertThat(last().get("reason").asString()).isEqualTo("host_left");
    }

    private void joined(Role role) {
        socket.beginJoin(new GatewaySocket.Membership(M, "u-1", "Ann", role, false, null));
        Participant you = new Participant("u-1", "Ann", role, "s-1");
        socket.deliver(RoomEvent.joined(M, you, List.of(you)));
        assertThat(last().get("type").asString()).isEqualTo("joined");
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
