package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The all-in-one run keeps users, meetings and chat across a full stop and start on the same data
 * directory (Kafka log, PostgreSQL data, Streams state), as a person restarting `./rendezvous up` expects.
 */
class DataSurvivesRestartIT {

    private static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    @Test
    void shouldKeepUsersMeetingsAndChatAcrossAStackRestart() throws Exception {
        Path dir = Files.createTempDirectory("rdv-restart-");
        String email = "restart-" + System.nanoTime() + "@example.test";
        String meetingId;
        String code;
        try (Stack first = start(dir)) {
            Api api = new Api(first.gatewayBaseUrl());
            Api.expect(201, api.call("POST", "/api/v1/auth/register",
                    Map.of("email", email, "password", "survives restarts", "displayName", "Rita"), null));
            String token = login(api, email);
            Api.Meeting m = api.createMeeting(token, "kept");
            meetingId = m.meetingId();
            code = m.code();
            try (Peer rita = Peer.connect(api.http, first.gatewayBaseUrl()).join(meetingId, token)) {
                rita.chat(meetingId, "before-restart", "written before the restart");
                Peer.awaitUntil(() -> rita.chats(meetingId).size() == 1, Duration.ofSeconds(20), "own message echoed");
            }
            Peer.awaitUntil(() -> historyOf(api, meetingId, token).size() == 1, Duration.ofSeconds(20), "message stored");
        }

        try (Stack second = start(dir)) {
            Api api = new Api(second.gatewayBaseUrl());
            String token = login(api, email); // the user is still there
            JsonNode meeting = Api.expect(200, api.call("GET", "/api/v1/meetings/" + meetingId, null, token));
            assertThat(meeting.path("code").asText()).isEqualTo(code);
            JsonNode history = historyOf(api, meetingId, token);
            assertThat(history).hasSize(1);
            assertThat(history.get(0).path("text").asText()).isEqualTo("written before the restart");
            // and the room carries on from where it was: the next message gets seq 2
            try (Peer rita = Peer.connect(api.http, second.gatewayBaseUrl()).join(meetingId, token)) {
                rita.chat(meetingId, "after-restart", "written after the restart");
                Peer.awaitUntil(() -> rita.chats(meetingId).size() == 1, Duration.ofSeconds(30), "echo after restart");
                assertThat(rita.chats(meetingId).get(0).seq()).isEqualTo(2);
            }
        }
    }

    private static Stack start(Path dir) {
        // started twice and used lightly: C1 alone (JIT costs less CPU at start, the code runs slower) and no
        // Aerospike (nothing kept there is asserted here)
        return Stack.builder(dir).freePorts().apps(App.EDGE_GATEWAY, App.STREAM_APPS).clickHouse(false).aerospike(false)
                .kafkaJvmOptions(QUICK_START).appJvmOptions(App.EDGE_GATEWAY, QUICK_START)
                .appJvmOptions(App.STREAM_APPS, QUICK_START)
                .appStartupTimeout(Duration.ofMinutes(4)).listener(StackListener.logging()).build().start();
    }

    private static String login(Api api, String email) throws Exception {
        return Api.expect(200, api.call("POST", "/api/v1/auth/login",
                Map.of("email", email, "password", "survives restarts"), null)).path("token").asText();
    }

    private static JsonNode historyOf(Api api, String meetingId, String token) {
        try {
            return api.history(meetingId, token, 100);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
