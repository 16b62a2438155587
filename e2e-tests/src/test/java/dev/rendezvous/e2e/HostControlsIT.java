package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.Stack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Host controls through the whole system: REST and WebSocket requests → {@code room.host.requested} → the real room
 * processor → deliveries to the sockets, commands to the forwarder, {@code room.meeting.ended} → PostgreSQL.
 */
class HostControlsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());
    private final List<Peer> peers = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        peers.forEach(Peer::close);
    }

    private Peer peer() throws InterruptedException {
        Peer p = Peer.connect(api.http, stack.gatewayBaseUrl());
        peers.add(p);
        return p;
    }

    @Test
    void shouldAuthoriseMuteRemoveReadmitPromoteAndEndThroughTheRoomProcessor() throws Exception {
        String hostToken = api.newUserToken("Hana");
        String aliceToken = api.newUserToken("Alice");
        Api.Meeting m = api.createMeeting(hostToken, "host controls");
        String id = m.meetingId();
        String guestToken = api.guestToken(m.code(), "Gus");
        Peer host = peer().join(id, hostToken);
        Peer alice = peer().join(id, aliceToken);
        Peer gus = peer().join(id, guestToken);

        JsonNode list = Api.expect(200, api.call("GET", "/api/v1/meetings/" + id + "/participants", null, aliceToken));
        assertThat(list.size()).isEqualTo(3);
        assertThat(list.findValuesAsString("role")).containsExactly("host", "participant", "guest");
        assertThat(list.findValuesAsString("state")).containsOnly("in");
        String aliceId = list.get(1).path("participantId").asText();
        String gusId = list.get(2).path("participantId").asText();

        // a guest may not act: 403 over REST, an error frame over the socket; nothing happens
        assertThat(api.call("POST", "/api/v1/meetings/" + id + "/participants/" + aliceId + "/remove", null, guestToken)
                .statusCode()).isEqualTo(403);
        gus.sendRaw("{\"type\":\"host-action\",\"meetingId\":\"" + id + "\",\"action\":\"end\",\"requestId\":\"g1\"}");
        assertThat(gus.awaitError("forbidden", WAIT).path("ref").asText()).isEqualTo("g1");

        // the host mutes the guest's microphone and does not let him unmute
        Api.expect(202, api.call("POST", "/api/v1/meetings/" + id + "/participants/" + gusId + "/mute",
                Map.of("audio", true), hostToken));
        JsonNode muted = await(gus, "muted-by-host");
        assertThat(muted.path("audio").asBoolean()).isTrue();
        assertThat(muted.path("by").asText()).isNotBlank();

        // promoted, Alice may remove the guest
        Api.expect(202, api.call("POST", "/api/v1/meetings/" + id + "/participants/" + aliceId + "/promote", null, hostToken));
        JsonNode role = await(host, "role-changed");
        assertThat(role.path("participantId").asText()).isEqualTo(aliceId);
        assertThat(role.path("role").asText()).isEqualTo("COHOST");
        assertThat(api.call("POST", "/api/v1/meetings/" + id + "/participants/" + aliceId + "/promote", null, hostToken)
                .statusCode()).as("already a co-host").isEqualTo(409);
        Api.expect(202, api.call("POST", "/api/v1/meetings/" + id + "/participants/" + gusId + "/remove", null, aliceToken));
        assertThat(await(gus, "removed").path("reason").asText()).isEqualTo("removed_by_host");
        Peer.awaitUntil(() -> host.frames.stream().anyMatch(f -> f.path("type").asText().equals("participant-left")
                && f.path("participant").path("participantId").asText().equals(gusId)), WAIT, "host sees the guest leave");
        assertThat(api.call("POST", "/api/v1/meetings/" + id + "/participants/" + gusId + "/remove", null, hostToken)
                .statusCode()).as("no longer in the meeting").isEqualTo(404);

        // the same guest identity cannot come back until the host admits it again
        Peer gusAgain = peer();
        gusAgain.sendRaw("{\"type\":\"join\",\"meetingId\":\"" + id + "\",\"token\":\"" + guestToken + "\"}");
        gusAgain.awaitError("removed", WAIT);
        Api.expect(202, api.call("POST", "/api/v1/meetings/" + id + "/participants/" + gusId + "/admit", null, hostToken));
        peer().join(id, guestToken);

        // end for all: everyone is told, the end is stored, and nobody can join any more
        Api.expect(202, api.call("POST", "/api/v1/meetings/" + id + "/end", null, aliceToken));
        await(host, "meeting-ended");
        await(alice, "meeting-ended");
        Peer.awaitUntil(() -> !Api.expect(200, call("GET", "/api/v1/meetings/" + id, hostToken)).path("endedAt").isMissingNode(),
                WAIT, "ended_at stored");
        Peer late = peer();
        late.sendRaw("{\"type\":\"join\",\"meetingId\":\"" + id + "\",\"token\":\"" + aliceToken + "\"}");
        late.awaitError("meeting_ended", WAIT);

        // what the contract gives co-hosts outside the room holds after its end: the room processor's records say
        // who they are (the people in the room are none now)
        String path = "/api/v1/meetings/" + id + "/analytics";
        if (stack.analyticsEnabled()) {
            assertThat(api.call("GET", path, null, aliceToken).statusCode()).as("a co-host reads the figures").isEqualTo(200);
        }
        String otherToken = api.newUserToken("Olga");
        assertThat(api.call("GET", path, null, otherToken).statusCode()).as("someone else").isEqualTo(403);
        Api.expect(201, api.call("POST", "/api/v1/meetings/" + id + "/invites",
                Map.of("email", Api.expect(200, api.call("GET", "/api/v1/me", null, otherToken)).path("email").asText()), aliceToken));
    }

    @Test
    void shouldKeepAGuestInTheLobbyUntilTheHostAdmitsHim() throws Exception {
        String hostToken = api.newUserToken("Lena");
        JsonNode created = Api.expect(201, api.call("POST", "/api/v1/meetings", Map.of("title", "lobby", "lobby", true), hostToken));
        String id = created.path("meetingId").asText();
        Peer host = peer().join(id, hostToken);
        Peer guest = peer();
        guest.sendRaw("{\"type\":\"join\",\"meetingId\":\"" + id + "\",\"token\":\"" + api.guestToken(created.path("code").asText(), "Walt") + "\"}");
        await(guest, "lobby");
        JsonNode waiting = await(host, "lobby-changed");
        assertThat(waiting.path("waiting").get(0).path("displayName").asText()).isEqualTo("Walt");
        String waltId = waiting.path("waiting").get(0).path("participantId").asText();
        JsonNode list = Api.expect(200, api.call("GET", "/api/v1/meetings/" + id + "/participants", null, hostToken));
        assertThat(list.findValuesAsString("state")).containsExactly("in", "lobby");
        assertThat(guest.frames.stream().noneMatch(f -> f.path("type").asText().equals("joined"))).isTrue();

        Api.expect(202, api.call("POST", "/api/v1/meetings/" + id + "/participants/" + waltId + "/admit", null, hostToken));
        await(guest, "joined");
        assertThat(api.call("POST", "/api/v1/meetings/" + id + "/participants/" + waltId + "/admit", null, hostToken)
                .statusCode()).as("not waiting any more").isEqualTo(409);
    }

    @Test
    void shouldStartAndStopARecordingOnTheRoomsForwarderAndTellEveryone() throws Exception {
        String hostToken = api.newUserToken("Rita");
        Api.Meeting m = api.createMeeting(hostToken, "recorded");
        String id = m.meetingId();
        String guestToken = api.guestToken(m.code(), "Gil");
        Peer host = peer().join(id, hostToken);
        Peer guest = peer().join(id, guestToken);
        String path = "/api/v1/meetings/" + id + "/recordings";

        assertThat(api.call("POST", path, null, guestToken).statusCode()).as("a guest may not record").isEqualTo(403);
        JsonNode started = Api.expect(202, api.call("POST", path, null, hostToken));
        String recordingId = started.path("recordingId").asText();
        assertThat(recordingId).startsWith("rec-");
        for (Peer p : List.of(host, guest)) {
            Peer.awaitUntil(() -> p.frames.stream().anyMatch(f -> f.path("type").asText().equals("room-state")
                    && f.path("room").path("recording").path("recordingId").asText().equals(recordingId)), WAIT,
                    "everyone told the meeting is recorded");
        }
        JsonNode again = Api.expect(409, api.call("POST", path, null, hostToken));
        assertThat(again.path("error").asText()).isEqualTo("already_recording");
        // a late joiner learns it in its joined, before its media is captured
        Peer late = peer().join(id, api.guestToken(m.code(), "Lou"));
        JsonNode joined = await(late, "joined");
        assertThat(joined.path("room").path("recording").path("recordingId").asText()).isEqualTo(recordingId);

        // the forwarder the room is placed on was asked to capture it
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of(
                "bootstrap.servers", stack.kafkaBootstrapServers(), "group.id", "e2e-recording-" + recordingId,
                "auto.offset.reset", "earliest"), new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dev.rendezvous.topics.Topics.RECORDING_CONTROL.name()));
            List<dev.rendezvous.topics.model.RecordingControl> controls = new java.util.ArrayList<>();
            Api.expect(202, api.call("POST", path + "/" + recordingId + "/stop", null, hostToken));
            Peer.awaitUntil(() -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    var c = dev.rendezvous.topics.Topics.RECORDING_CONTROL.valueSerde().deserializer()
                            .deserialize(r.topic(), r.value());
                    if (c != null && recordingId.equals(c.recordingId())) {
                        controls.add(c);
                    }
                }
                return controls.size() >= 2;
            }, WAIT, "START and STOP on recording.control.requested");
            assertThat(controls).extracting(c -> c.action().name()).containsExactly("START", "STOP");
            assertThat(controls).allSatisfy(c -> {
                assertThat(c.meetingId()).isEqualTo(id);
                assertThat(c.forwarderId()).isNotBlank();
            });
        }
        Peer.awaitUntil(() -> guest.frames.stream().filter(f -> f.path("type").asText().equals("room-state"))
                .reduce((a, b) -> b).map(f -> f.path("room").path("recording").isMissingNode()).orElse(false),
                WAIT, "everyone told the recording stopped");
        assertThat(api.call("POST", path + "/" + recordingId + "/stop", null, hostToken).statusCode())
                .as("not running any more").isEqualTo(404);
    }

    private HttpResponse<String> call(String method, String path, String token) {
        try {
            return api.call(method, path, null, token);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode await(Peer p, String type) {
        Peer.awaitUntil(() -> p.frames.stream().anyMatch(f -> f.path("type").asText().equals(type)), WAIT, type);
        return p.frames.stream().filter(f -> f.path("type").asText().equals(type)).findFirst().orElseThrow();
    }
}
