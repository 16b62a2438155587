package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.analytics.AnalyticsRows;
import dev.rendezvous.analytics.AnalyticsSchema;
import dev.rendezvous.analytics.ClickHouseHttpSql;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.TestInfra;
import dev.rendezvous.stack.ClickHouse;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.S3Server;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.AnalyticsEvent.ChatSent;
import dev.rendezvous.topics.model.AnalyticsEvent.LeaveReason;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantJoined;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantLeft;
import dev.rendezvous.topics.model.AnalyticsEvent.QualitySample;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * The recordings list and delete (API.md) against a real PostgreSQL holding stream-apps' metadata tables and a real
 * S3 API server (s3proxy): who may see the list (the host and people admitted into the meeting, not removed), the statuses, presigned links that download the file, and deletion
 * of the objects with the rows; while S3 does not answer, a deletion answers 503 {@code dependency_unavailable} within
 * 2 s and works once S3 answers again.
 * And, on the same gateway (one start fewer in CI), a meeting's analytics for its host
 * ({@code GET /api/v1/meetings/{id}/analytics}) against the real ClickHouse server (Debian's 18.16 in CI), its tables
 * as stream-apps' sink makes and fills them (the analytics-store module), every row written twice as after a replay.
 */
class RecordingListIT {

    /** A call whose dependency hangs answers within the guard's 2 s; 3 s on a loaded machine (a lost deadline: 3.1 s). */
    private static final Duration DEPENDENCY_BOUND = Duration.ofSeconds(3);

    private static final String BUCKET = "recordings-list-it";
    private static final String ACCESS = "list-it-access";
    private static final String SECRET = "list-it-secret-key-1";

    @TempDir
    static Path dir;

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static S3Server s3;
    private static ClickHouse clickHouse;
    private static ClickHouseHttpSql sql;
    private static RunningGateway gw;
    private static S3Client client;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        s3 = new S3Server(dir.resolve("s3"), Ports.freePorts(1).get(0), ACCESS, SECRET, dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        s3.ensureBucket(BUCKET);
        s3.start(Duration.ofSeconds(60));
        // the meeting analytics tests share this gateway: ClickHouse (when installed) with its tables as the sink makes them
        if (System.getenv("CI") != null) {
            assertThat(ClickHouse.installed()).as("CI installs clickhouse-server (.ci/run): analytics must be tested").isTrue();
        }
        List<String> args = new ArrayList<>(List.of("--rendezvous.s3.endpoint=" + s3.endpoint(),
                "--rendezvous.s3.access-key=" + ACCESS, "--rendezvous.s3.secret-key=" + SECRET,
                "--rendezvous.s3.link-ttl=PT5M"));
        if (ClickHouse.installed()) {
            List<Integer> ports = Ports.freePorts(2);
            clickHouse = new ClickHouse(dir.resolve("clickhouse"), ports.get(0), ports.get(1), dir.resolve("logs"),
                    Clock.systemUTC(), StackListener.logging());
            clickHouse.start(Duration.ofSeconds(60));
            sql = new ClickHouseHttpSql(clickHouse.url(), "default", "default", "", Duration.ofSeconds(10), false);
            new AnalyticsSchema(sql, Clock.systemUTC()).migrate().blockLast(WAIT);
            args.add("--rendezvous.clickhouse.url=" + clickHouse.url());
        }
        gw = RunningGateway.start("gw_recordings", args.toArray(String[]::new));
        // stream-apps' tables (recordingstore.RecordingTables): the contract between the two processes
        TestInfra.sql(gw.database, """
                CREATE TABLE IF NOT EXISTS recordings (recording_id varchar(64) PRIMARY KEY, meeting_id uuid NOT NULL,
                  forwarder_id varchar(128), started_at timestamptz NOT NULL, stopped_at timestamptz)""", """
                CREATE TABLE IF NOT EXISTS recording_files (recording_id varchar(64) NOT NULL,
                  object_key varchar(512) NOT NULL, meeting_id uuid NOT NULL, kind varchar(16) NOT NULL,
                  participant_id varchar(128), source varchar(16), bucket varchar(128) NOT NULL,
                  size_bytes bigint NOT NULL, duration_ms bigint NOT NULL, stored_at timestamptz NOT NULL,
                  PRIMARY KEY (recording_id, object_key))""");
        client = S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.of(S3Server.REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (sql != null) {
            sql.close();
        }
        if (clickHouse != null) {
            clickHouse.close();
        }
    }

    @Test
    void shouldListTheMeetingsRecordingsWithLinksThatDownloadOnlyToItsHostAndParticipants() throws Exception {
        Map<String, String> host = gw.newUser("Hana");
        Map<String, String> ann = gw.newUser("Ann");
        Map<String, String> stranger = gw.newUser("Sid");
        Map<String, String> m = gw.newMeeting(host.get("token"), "recorded");
        String meeting = m.get("meetingId");
        // Ann was admitted into the meeting (the gateway records that from her joined delivery); Rex was removed
        Map<String, String> rex = gw.newUser("Rex");
        TestInfra.sql(gw.database, "INSERT INTO meeting_admissions (meeting_id, participant_id, admitted_at) VALUES ('"
                        + meeting + "', '" + ann.get("userId") + "', now())",
                "INSERT INTO meeting_admissions (meeting_id, participant_id, admitted_at, removed_at) VALUES ('"
                        + meeting + "', '" + rex.get("userId") + "', now() - interval '1 minute', now())");
        String ready = "rec-" + UUID.randomUUID();
        String running = "rec-" + UUID.randomUUID();
        String key = "recordings/" + ready + "/" + ann.get("userId") + "-camera.webm";
        byte[] content = "a webm file, or its stand-in".getBytes(StandardCharsets.UTF_8);
        client.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
        TestInfra.sql(gw.database,
                "INSERT INTO recordings VALUES ('" + ready + "', '" + meeting + "', 'fwd-1', now() - interval '1 hour', "
                        + "now() - interval '1 hour' + interval '20 seconds')",
                "INSERT INTO recordings VALUES ('" + running + "', '" + meeting + "', 'fwd-1', now() - interval '5 seconds', NULL)",
                "INSERT INTO recording_files VALUES ('" + ready + "', '" + key + "', '" + meeting + "', 'participant', '"
                        + ann.get("userId") + "', 'camera', '" + BUCKET + "', " + content.length + ", 20000, now())");
        // a guest has no users row: the list names their file with the name they were admitted with
        String guest = "guest:" + UUID.randomUUID();
        TestInfra.sql(gw.database, "INSERT INTO meeting_admissions (meeting_id, participant_id, admitted_at, display_name)"
                        + " VALUES ('" + meeting + "', '" + guest + "', now(), 'Gwen')",
                "INSERT INTO recording_files VALUES ('" + ready + "', 'recordings/" + ready + "/guest-camera.webm', '"
                        + meeting + "', 'participant', '" + guest + "', 'camera', '" + BUCKET + "', 1, 20000, now() + interval '1 second')");
        String path = "/api/v1/meetings/" + meeting + "/recordings";

        HttpResponse<String> r = gw.get(path, ann.get("token"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode list = Json.mapper().readTree(r.body());
        assertThat(list.size()).isEqualTo(2);
        JsonNode newest = list.get(0);
        assertThat(newest.path("recordingId").asString()).isEqualTo(running);
        assertThat(newest.path("status").asString()).isEqualTo("recording");
        JsonNode done = list.get(1);
        assertThat(done.path("status").asString()).isEqualTo("ready");
        assertThat(done.path("durationMs").asLong()).isEqualTo(20_000);
        assertThat(done.path("files").size()).isEqualTo(2);
        assertThat(done.path("files").get(1).path("participantName").asString()).isEqualTo("Gwen");
        JsonNode file = done.path("files").get(0);
        assertThat(file.path("kind").asString()).isEqualTo("participant");
        assertThat(file.path("participantName").asString()).isEqualTo("Ann");
        assertThat(file.path("source").asString()).isEqualTo("camera");
        assertThat(file.path("sizeBytes").asLong()).isEqualTo(content.length);
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(file.path("url").asString())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);
        // the link is signed for this object only
        HttpResponse<byte[]> forged = http.send(HttpRequest.newBuilder(URI.create(file.path("url").asString()
                .replace("-camera.webm", "-screen.webm"))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(forged.statusCode()).isEqualTo(403);

        assertThat(gw.get(path, host.get("token")).statusCode()).isEqualTo(200);
        assertThat(gw.get(path, stranger.get("token")).statusCode()).isEqualTo(403);
        assertThat(gw.get(path, rex.get("token")).statusCode()).as("removed from the meeting").isEqualTo(403);
        assertThat(gw.get(path, gw.guestToken(m.get("code"), "Gus")).statusCode()).isEqualTo(403);
        assertThat(gw.get(path, null).statusCode()).isEqualTo(401);
        assertThat(gw.get("/api/v1/meetings/" + UUID.randomUUID() + "/recordings", host.get("token")).statusCode())
                .isEqualTo(404);

        // delete: the host only, a stopped recording only; its object goes too
        assertThat(delete(path + "/" + ready, ann.get("token")).statusCode()).isEqualTo(403);
        assertThat(delete(path + "/" + running, host.get("token")).statusCode()).isEqualTo(409);
        assertThat(delete(path + "/rec-none", host.get("token")).statusCode()).isEqualTo(404);
        assertThat(delete(path + "/" + ready, host.get("token")).statusCode()).isEqualTo(204);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.headObject(h -> h.bucket(BUCKET).key(key)))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
        JsonNode after = Json.mapper().readTree(gw.get(path, host.get("token")).body());
        assertThat(after.size()).isEqualTo(1);
        assertThat(after.get(0).path("recordingId").asString()).isEqualTo(running);
    }

    @Test
    void shouldCallAStoppedRecordingWithoutFilesProcessingThenFailed() throws Exception {
        Map<String, String> host = gw.newUser("Pia");
        String meeting = gw.newMeeting(host.get("token"), "processing").get("meetingId");
        TestInfra.sql(gw.database,
                "INSERT INTO recordings VALUES ('rec-p-" + meeting + "', '" + meeting + "', 'fwd-1', now() - interval '30 seconds', now())",
                "INSERT INTO recordings VALUES ('rec-f-" + meeting + "', '" + meeting + "', 'fwd-1', now() - interval '2 hours', now() - interval '1 hour')");
        JsonNode list = Json.mapper().readTree(gw.get("/api/v1/meetings/" + meeting + "/recordings", host.get("token")).body());
        assertThat(list.findValuesAsString("status")).containsExactly("processing", "failed");
        assertThat(list.get(0).path("files").size()).isZero();
    }

    @Test
    void shouldAnswer503WithinTwoSecondsWhileS3DoesNotAnswerAndDeleteOnceItDoes() throws Exception {
        Map<String, String> host = gw.newUser("Stella");
        String meeting = gw.newMeeting(host.get("token"), "stored").get("meetingId");
        String rec = "rec-" + UUID.randomUUID();
        String key = "recordings/" + rec + "/composite.webm";
        client.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[] {1, 2, 3}));
        TestInfra.sql(gw.database,
                "INSERT INTO recordings VALUES ('" + rec + "', '" + meeting + "', 'fwd-1', now() - interval '1 minute', now())",
                "INSERT INTO recording_files VALUES ('" + rec + "', '" + key + "', '" + meeting + "', 'composite', NULL, NULL, '"
                        + BUCKET + "', 3, 1000, now())");
        String path = "/api/v1/meetings/" + meeting + "/recordings/" + rec;
        // SIGSTOP: connections are accepted, requests sent, and nothing answers (a hung S3, the case without a bound)
        String pid = Long.toString(s3.pid());
        assertThat(new ProcessBuilder("kill", "-STOP", pid).start().waitFor()).isZero();
        try {
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = delete(path, host.get("token"));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(Json.mapper().readTree(r.body()).path("error").asString()).isEqualTo("dependency_unavailable");
                assertThat(took).as("took " + took.toMillis() + " ms").isLessThanOrEqualTo(DEPENDENCY_BOUND);
            }
            // nothing was forgotten: the recording is still listed, its file still to be deleted
            assertThat(Json.mapper().readTree(gw.get("/api/v1/meetings/" + meeting + "/recordings", host.get("token"))
                    .body()).size()).isEqualTo(1);
        } finally {
            assertThat(new ProcessBuilder("kill", "-CONT", pid).start().waitFor()).isZero();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> delete(path, host.get("token")).statusCode() == 204);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.headObject(h -> h.bucket(BUCKET).key(key)))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
    }

    // ------------------------------------------------------------------------------ analytics (same gateway: CI time)

    @Test
    void shouldGiveTheHostTheMeetingsFiguresCountingEachEventOnceAndNobodyElse() throws Exception {
        assumeTrue(clickHouse != null, "clickhouse-server is not installed");
        Map<String, String> host = gw.newUser("Hana");
        Map<String, String> stranger = gw.newUser("Sid");
        String meeting = gw.newMeeting(host.get("token"), "measured").get("meetingId");
        String hana = host.get("userId");
        List<AnalyticsEvent> events = new ArrayList<>(List.of(
                ParticipantJoined.of(meeting, T0, hana, "s-h", "Hana", Role.HOST),
                ParticipantJoined.of(meeting, T0.plusSeconds(30), "guest:gil", "s-g", "Gil", Role.GUEST),
                ChatSent.of(meeting, T0.plusSeconds(40), hana, 1, 4),
                ChatSent.of(meeting, T0.plusSeconds(41), "guest:gil", 2, 9),
                QualitySample.of(meeting, T0.plusSeconds(45), "guest:gil", "s-g", "fwd-1", 6e5, 1.2e6, 0.02, 40, 5, -1, 0.3),
                QualitySample.of(meeting, T0.plusSeconds(50), "guest:gil", "s-g", "fwd-1", 8e5, 1.4e6, 0.04, 60, 7, -1, 0.3),
                ParticipantLeft.of(meeting, T0.plusSeconds(90), "guest:gil", "s-g", T0.plusSeconds(30), LeaveReason.LEFT),
                ParticipantLeft.of(meeting, T0.plusSeconds(120), hana, "s-h", T0, LeaveReason.MEETING_ENDED)));
        for (int copy = 0; copy < 2; copy++) {   // a replay writes everything again: one batch per table, as the sink
            int version = copy;
            for (String table : List.of(AnalyticsSchema.EVENTS, AnalyticsSchema.QUALITY)) {
                sql.insertJsonEachRow(table, AnalyticsRows.jsonEachRow(events.stream()
                        .filter(e -> AnalyticsRows.tableOf(e).equals(table)).map(e -> AnalyticsRows.row(e, version))
                        .toList())).block(WAIT);
            }
        }
        String path = "/api/v1/meetings/" + meeting + "/analytics";

        HttpResponse<String> r = gw.get(path, host.get("token"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.path("durationMs").asLong()).isEqualTo(120_000);
        assertThat(body.path("peakParticipants").asInt()).isEqualTo(2);
        assertThat(body.path("chatMessages").asLong()).isEqualTo(2);
        assertThat(body.path("chatTimeline").toString()).as("both in the first minute, once each")
                .isEqualTo("[{\"atMs\":0,\"messages\":2}]");
        JsonNode people = body.path("participants");
        assertThat(people.size()).isEqualTo(2);
        assertThat(people.get(0).path("displayName").asString()).isEqualTo("Hana");
        assertThat(people.get(0).path("presentMs").asLong()).isEqualTo(120_000);
        assertThat(people.get(1).path("displayName").asString()).isEqualTo("Gil");
        assertThat(people.get(1).path("joinedMs").asLong()).isEqualTo(30_000);
        assertThat(people.get(1).path("presentMs").asLong()).isEqualTo(60_000);
        JsonNode quality = body.path("quality");
        assertThat(quality.size()).isEqualTo(1);
        assertThat(quality.get(0).path("displayName").asString()).isEqualTo("Gil");
        assertThat(quality.get(0).path("samples").asLong()).isEqualTo(2);
        assertThat(quality.get(0).path("bitrateInBps").asDouble()).isEqualTo(7e5);
        assertThat(body.path("timeline").size()).isEqualTo(4);

        assertAnalyticsError(gw.get(path, stranger.get("token")), 403, "forbidden");
        assertAnalyticsError(gw.get(path, null), 401, "unauthorized");
        assertAnalyticsError(gw.get("/api/v1/meetings/" + UUID.randomUUID() + "/analytics", host.get("token")), 404, "meeting_not_found");
        assertAnalyticsError(gw.get("/api/v1/meetings/not-a-meeting/analytics", host.get("token")), 404, "meeting_not_found");
    }

    @Test
    void shouldAnswerZerosForAMeetingNobodyJoinedYet() throws Exception {
        assumeTrue(clickHouse != null, "clickhouse-server is not installed");
        Map<String, String> host = gw.newUser("Ida");
        String meeting = gw.newMeeting(host.get("token"), "empty").get("meetingId");
        HttpResponse<String> r = gw.get("/api/v1/meetings/" + meeting + "/analytics", host.get("token"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.path("durationMs").asLong()).isZero();
        assertThat(body.path("participants").size()).isZero();
    }

    @Test
    void shouldAnswer503WithinTwoSecondsWhileClickHouseDoesNotAnswerAndTheFiguresOnceItDoes() throws Exception {
        assumeTrue(clickHouse != null, "clickhouse-server is not installed");
        Map<String, String> host = gw.newUser("Hedy");
        String meeting = gw.newMeeting(host.get("token"), "frozen analytics").get("meetingId");
        String path = "/api/v1/meetings/" + meeting + "/analytics";
        // SIGSTOP: connections are accepted, queries sent, and nothing answers
        String pid = Long.toString(clickHouse.pid());
        assertThat(new ProcessBuilder("kill", "-STOP", pid).start().waitFor()).isZero();
        try {
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = gw.get(path, host.get("token"));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertAnalyticsError(r, 503, "analytics_unavailable");
                assertThat(took).as("took " + took.toMillis() + " ms").isLessThanOrEqualTo(DEPENDENCY_BOUND);
            }
        } finally {
            assertThat(new ProcessBuilder("kill", "-CONT", pid).start().waitFor()).isZero();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> gw.get(path, host.get("token")).statusCode() == 200);
    }

    private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");

    private static void assertAnalyticsError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Json.mapper().readTree(r.body()).path("error").asString()).isEqualTo(code);
    }

    private HttpResponse<String> delete(String path, String token) {
        return gw.send(HttpRequest.newBuilder(gw.uri(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).DELETE().build());
    }
}
