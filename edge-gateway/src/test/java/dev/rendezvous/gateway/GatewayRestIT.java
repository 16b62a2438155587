package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.TestInfra;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The REST contract of API.md against a real PostgreSQL and Kafka, every error as {error, message}. */
class GatewayRestIT {

    private static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start("gw_rest");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    // ---- register ----------------------------------------------------------------------------------------------

    @Test
    void shouldRegisterAUserWith201AndItsId() {
        HttpResponse<String> r = register("reg-" + UUID.randomUUID() + "@example.com", "password-123", "Reggie");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(UUID.fromString(Jsons.field(r.body(), "userId"))).isNotNull();
    }

    @Test
    void shouldRefuseInvalidRegistrationsWith400() {
        String email = "inv-" + UUID.randomUUID() + "@example.com";
        assertError(register("not-an-email", "password-123", "A"), 400, "invalid_request");
        assertError(register(email, "short", "A"), 400, "invalid_request");
        assertError(register(email, "password-123", "   "), 400, "invalid_request");
        assertError(register(email, "password-123", "n".repeat(101)), 400, "invalid_request");
        assertError(gw.post("/api/v1/auth/register", "{\"email\":\"" + email + "\"}", null), 400, "invalid_request");
    }

    @Test
    void shouldRefuseAnEmailTakenInAnyCaseWith409() {
        String local = "taken-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(register(local + "@Example.com", "password-123", "First").statusCode()).isEqualTo(201);
        assertError(register(local.toUpperCase() + "@example.COM", "password-123", "Second"), 409, "email_taken");
    }

    @Test
    void shouldAnswerMalformedJsonWith400() {
        assertError(gw.post("/api/v1/auth/register", "{\"email\": ", null), 400, "malformed_json");
        assertError(gw.post("/api/v1/auth/login", "[1,2", null), 400, "malformed_json");
        assertError(gw.post("/api/v1/meetings", "{\"title\": {\"nested\": true}, \"lobby\": \"maybe\"}",
                gw.newUser("Mal").get("token")), 400, "malformed_json");
    }

    @Test
    void shouldAnswerAMissingBodyWith400() {
        HttpRequest req = HttpRequest.newBuilder(gw.uri("/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertError(gw.send(req), 400, "invalid_request");
    }

    @Test
    void shouldAnswerAnUnsupportedMediaTypeWith415() {
        HttpRequest req = HttpRequest.newBuilder(gw.uri("/api/v1/auth/login")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("email=a&password=b")).build();
        assertError(gw.send(req), 415, "unsupported_media_type");
    }

    // ---- login and me --------------------------------------------------------------------------------------------

    @Test
    void shouldLogInWithATokenAndItsExpiry() {
        String email = "login-" + UUID.randomUUID() + "@example.com";
        register(email, "password-123", "Lou");
        HttpResponse<String> r = gw.post("/api/v1/auth/login",
                "{\"email\":\"" + email.toUpperCase() + "\",\"password\":\"password-123\"}", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Jsons.tree(r.body());
        assertThat(body.get("token").asString()).contains(".");
        Instant expires = Instant.parse(body.get("expiresAt").asString());
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
    }

    @Test
    void shouldRefuseWrongCredentialsWith401() {
        String email = "wrong-" + UUID.randomUUID() + "@example.com";
        register(email, "password-123", "W");
        assertError(gw.post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"password-124\"}", null),
                401, "invalid_credentials");
        assertError(gw.post("/api/v1/auth/login", "{\"email\":\"nobody-" + UUID.randomUUID()
                + "@example.com\",\"password\":\"password-123\"}", null), 401, "invalid_credentials");
    }

    @Test
    void shouldTellAUserWhoTheyAre() {
        Map<String, String> u = gw.newUser("Mia");
        HttpResponse<String> r = gw.get("/api/v1/me", u.get("token"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode me = Jsons.tree(r.body());
        assertThat(me.get("userId").asString()).isEqualTo(u.get("userId"));
        assertThat(me.get("email").asString()).isEqualTo(u.get("email"));
        assertThat(me.get("displayName").asString()).isEqualTo("Mia");
    }

    @Test
    void shouldRefuseMeWithoutAValidUserTokenWith401() {
        assertError(gw.get("/api/v1/me", null), 401, "unauthorized");
        assertError(gw.get("/api/v1/me", "garbage"), 401, "unauthorized");
        assertError(gw.get("/api/v1/me", forgedToken()), 401, "unauthorized");
        assertError(gw.get("/api/v1/me", expiredToken(UUID.fromString(gw.newUser("Old").get("userId")))), 401, "unauthorized");
        Map<String, String> host = gw.newUser("Host");
        String guest = gw.guestToken(gw.newMeeting(host.get("token"), "M").get("code"), "Guest");
        assertError(gw.get("/api/v1/me", guest), 401, "unauthorized");
    }

    // ---- meetings ------------------------------------------------------------------------------------------------

    @Test
    void shouldCreateAMeetingWithACodeAndAnAbsoluteJoinUrl() {
        Map<String, String> u = gw.newUser("Host");
        HttpResponse<String> r = gw.post("/api/v1/meetings", "{\"title\":\"Weekly <sync> & \\\"plans\\\"\",\"lobby\":true}",
                u.get("token"));
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode m = Jsons.tree(r.body());
        String code = m.get("code").asString();
        assertThat(code).matches("[a-z]{3}-[a-z]{4}-[a-z]{3}");
        assertThat(m.get("joinUrl").asString()).isEqualTo("http://localhost:" + gw.port + "/j/" + code);

        HttpResponse<String> page = gw.get("/j/" + code, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains(m.get("meetingId").asString())
                .contains("Weekly &lt;sync&gt; &amp; &quot;plans&quot;")
                .doesNotContain("<sync>")
                .contains("data-testid=\"chat-input\"").contains("data-testid=\"leave\"")
                .contains("data-starts-at=\"\"");   // not scheduled

        String start = java.time.Instant.now().plus(java.time.Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        JsonNode scheduled = Jsons.tree(gw.post("/api/v1/meetings", "{\"title\":\"{{startsAt}} later\",\"startsAt\":\"" + start + "\"}",
                u.get("token")).body());
        assertThat(gw.get("/j/" + scheduled.get("code").asString(), null).body())
                .contains("data-starts-at=\"" + start + "\"")
                .as("a title is never a template").contains("{{startsAt}} later");
    }

    @Test
    void shouldRefuseABadMeetingTitleWith400AndNoTokenWith401() {
        String token = gw.newUser("T").get("token");
        assertError(gw.post("/api/v1/meetings", "{\"title\":\"  \"}", token), 400, "invalid_request");
        assertError(gw.post("/api/v1/meetings", "{\"title\":\"" + "t".repeat(201) + "\"}", token), 400, "invalid_request");
        assertError(gw.post("/api/v1/meetings", "{\"title\":\"ok\"}", null), 401, "unauthorized");
        assertError(gw.post("/api/v1/meetings", "{\"title\":\"ok\"}", forgedToken()), 401, "unauthorized");
    }

    @Test
    void shouldShowAMeetingToItsHostAndToItsGuests() {
        Map<String, String> host = gw.newUser("Hannah");
        Map<String, String> m = gw.newMeeting(host.get("token"), "Standup");
        String guest = gw.guestToken(m.get("code"), "Gus");

        for (String token : new String[] {host.get("token"), guest}) {
            HttpResponse<String> r = gw.get("/api/v1/meetings/" + m.get("meetingId"), token);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = Jsons.tree(r.body());
            assertThat(body.get("meetingId").asString()).isEqualTo(m.get("meetingId"));
            assertThat(body.get("code").asString()).isEqualTo(m.get("code"));
            assertThat(body.get("title").asString()).isEqualTo("Standup");
            assertThat(body.get("hostId").asString()).isEqualTo(host.get("userId"));
            assertThat(body.get("hostName").asString()).isEqualTo("Hannah");
            assertThat(body.get("lobby").asBoolean()).isFalse();
            assertThat(Instant.parse(body.get("createdAt").asString())).isBefore(Instant.now().plusSeconds(1));
            assertThat(body.get("joinUrl").asString()).endsWith("/j/" + m.get("code"));
        }
    }

    @Test
    void shouldRefuseAMeetingToStrangersWith403AndUnknownMeetingsWith404() {
        Map<String, String> m = gw.newMeeting(gw.newUser("H").get("token"), "Private");
        String stranger = gw.newUser("S").get("token");
        String otherGuest = gw.guestToken(gw.newMeeting(gw.newUser("O").get("token"), "Other").get("code"), "G");

        assertError(gw.get("/api/v1/meetings/" + m.get("meetingId"), stranger), 403, "forbidden");
        assertError(gw.get("/api/v1/meetings/" + m.get("meetingId"), otherGuest), 403, "forbidden");
        assertError(gw.get("/api/v1/meetings/" + m.get("meetingId"), null), 401, "unauthorized");
        assertError(gw.get("/api/v1/meetings/" + UUID.randomUUID(), stranger), 404, "meeting_not_found");
        assertError(gw.get("/api/v1/meetings/not-a-uuid", stranger), 404, "meeting_not_found");
    }

    @Test
    void shouldGiveGuestTokensForAMeetingCode() {
        Map<String, String> m = gw.newMeeting(gw.newUser("H").get("token"), "Open");
        HttpResponse<String> r = gw.post("/api/v1/meetings/" + m.get("code") + "/guest", "{\"displayName\":\"Alice\"}", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Jsons.tree(r.body());
        assertThat(body.get("token").asString()).isNotBlank();
        assertThat(body.get("meetingId").asString()).isEqualTo(m.get("meetingId"));
        assertThat(body.get("participantId").asString()).startsWith("guest:");

        assertError(gw.post("/api/v1/meetings/zzz-zzzz-zzz/guest", "{\"displayName\":\"Alice\"}", null), 404, "meeting_not_found");
        assertError(gw.post("/api/v1/meetings/NOPE/guest", "{\"displayName\":\"Alice\"}", null), 404, "meeting_not_found");
        assertError(gw.post("/api/v1/meetings/" + m.get("code") + "/guest", "{\"displayName\":\"\"}", null), 400, "invalid_request");
        assertError(gw.post("/api/v1/meetings/" + m.get("code") + "/guest", "{}", null), 400, "invalid_request");
    }

    // ---- history ---------------------------------------------------------------------------------------------------

    @Test
    void shouldServeTheLastMessagesOldestFirstAndAnEmptyHistoryBeforeStreamAppsCreatedItsTable() {
        Map<String, String> host = gw.newUser("Hal");
        Map<String, String> m = gw.newMeeting(host.get("token"), "History");
        String id = m.get("meetingId");

        HttpResponse<String> empty = gw.get("/api/v1/meetings/" + id + "/messages", host.get("token"));
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEqualTo("[]");

        // stream-apps owns this table; here the test plays its part
        TestInfra.sql(gw.database, """
                CREATE TABLE IF NOT EXISTS chat_messages (meeting_id uuid, seq bigint, client_msg_id varchar(64),
                  sender_id varchar(100), sender_name varchar(100), text text, sent_at timestamptz,
                  primary key (meeting_id, seq), unique (meeting_id, client_msg_id))""");
        StringBuilder insert = new StringBuilder("INSERT INTO chat_messages VALUES ");
        for (int seq = 1; seq <= 150; seq++) {
            insert.append(seq == 1 ? "" : ",").append("('").append(id).append("',").append(seq).append(",'c-").append(seq)
                    .append("','").append(host.get("userId")).append("','Hal','message ").append(seq)
                    .append("', TIMESTAMPTZ '2030-01-01T00:00:00Z' + interval '").append(seq).append(" seconds')");
        }
        TestInfra.sql(gw.database, insert.toString());

        JsonNode last100 = Jsons.tree(gw.get("/api/v1/meetings/" + id + "/messages", host.get("token")).body());
        assertThat(last100.size()).isEqualTo(100);
        assertThat(last100.get(0).get("seq").asLong()).isEqualTo(51);
        assertThat(last100.get(99).get("seq").asLong()).isEqualTo(150);

        JsonNode last3 = Jsons.tree(gw.get("/api/v1/meetings/" + id + "/messages?limit=3", host.get("token")).body());
        assertThat(last3.size()).isEqualTo(3);
        JsonNode first = last3.get(0);
        assertThat(first.get("seq").asLong()).isEqualTo(148);
        assertThat(first.get("from").asString()).isEqualTo("Hal");
        assertThat(first.get("fromId").asString()).isEqualTo(host.get("userId"));
        assertThat(first.get("clientMsgId").asString()).isEqualTo("c-148");
        assertThat(first.get("text").asString()).isEqualTo("message 148");
        assertThat(Instant.parse(first.get("sentAt").asString())).isEqualTo(Instant.parse("2030-01-01T00:02:28Z"));

        assertThat(gw.get("/api/v1/meetings/" + id + "/messages?limit=9999", host.get("token")).statusCode()).isEqualTo(200);
        assertError(gw.get("/api/v1/meetings/" + id + "/messages?limit=zero", host.get("token")), 400, "invalid_request");
        assertError(gw.get("/api/v1/meetings/" + id + "/messages", null), 401, "unauthorized");
        // who else may read it (guests, joined people, the lobby, the removed): ChatHistoryAccessIT
        assertError(gw.get("/api/v1/meetings/" + UUID.randomUUID() + "/messages", host.get("token")), 404, "meeting_not_found");
    }

    // ---- framework errors, pages, actuator -------------------------------------------------------------------------

    @Test
    void shouldAnswerUnknownApiPathsWithJson404() {
        assertError(gw.get("/api/v1/nothing-here", null), 404, "not_found");
        assertError(gw.get("/api/v2/meetings", null), 404, "not_found");
    }

    @Test
    void shouldAnswerWrongMethodsWithJson405() {
        HttpRequest delete = HttpRequest.newBuilder(gw.uri("/api/v1/me")).DELETE().build();
        HttpResponse<String> r = gw.send(delete);
        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow").orElse("")).contains("GET");
        assertError(gw.get("/api/v1/auth/login", null), 405, "method_not_allowed");
    }

    @Test
    void shouldServeAnHtml404ForAnUnknownMeetingCode() {
        for (String code : new String[] {"zzz-zzzz-zzz", "not-a-code"}) {
            HttpResponse<String> r = gw.get("/j/" + code, null);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(r.body()).contains("Meeting not found");
        }
    }

    @Test
    void shouldServeTheStartPageAndItsScripts() {
        HttpResponse<String> r = gw.get("/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Rendezvous").contains("register-form")
                .contains("<script type=\"module\" src=\"/home.mjs\">");
        for (String module : new String[] {"/home.mjs", "/home-model.mjs"}) {
            HttpResponse<String> js = gw.get(module, null);
            assertThat(js.statusCode()).isEqualTo(200);
            // browsers run a module script only when it is served as JavaScript
            assertThat(js.headers().firstValue("Content-Type").orElse("")).as(module).startsWith("text/javascript");
        }
        assertThat(gw.get("/home.css", null).statusCode()).isEqualTo(200);
        assertThat(gw.get("/meeting/main.js", null).statusCode()).isEqualTo(200);
        assertThat(gw.get("/app.css", null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldSendSecurityHeadersOnPagesAndApiAnswers() {
        for (HttpResponse<String> r : java.util.List.of(gw.get("/", null), gw.get("/api/v1/me", null), gw.get("/meeting/main.js", null))) {
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                    .doesNotContain("unsafe-eval");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
    }

    @Test
    void shouldRefuseAWebSocketUpgradeFromAnotherOriginAndAcceptTheSameOrigin() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI ws = java.net.URI.create(gw.uri("/ws").toString().replaceFirst("^http", "ws"));
        // the handler mapping takes /ws;x=1 for /ws: the check must too
        for (String spelling : List.of("/ws", "/ws;x=1")) {
            java.net.URI to = ws.resolve(spelling);
            java.util.concurrent.CompletionException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    java.util.concurrent.CompletionException.class,
                    () -> http.newWebSocketBuilder().header("Origin", "https://evil.example")
                            .buildAsync(to, new java.net.http.WebSocket.Listener() { }).join());
            assertThat(refused).as(spelling).isNotNull();
            assertThat(refused.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
            assertThat(((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode())
                    .as(spelling).isEqualTo(403);
        }

        String self = "http://" + ws.getHost() + ":" + ws.getPort();
        java.net.http.WebSocket ok = http.newWebSocketBuilder().header("Origin", self)
                .buildAsync(ws, new java.net.http.WebSocket.Listener() { }).join();
        ok.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void shouldServeMetricsAndHealthDetailsOnlyOnTheManagementPortAndTheBareStatusPublicly() {
        assertThat(gw.managementUrl()).isNotEqualTo(gw.baseUrl);
        HttpResponse<String> health = gw.managementGet("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Jsons.field(health.body(), "status")).isEqualTo("UP");
        assertThat(gw.managementGet("/actuator/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> prom = gw.managementGet("/actuator/prometheus");
        assertThat(prom.statusCode()).isEqualTo(200);
        assertThat(prom.body()).contains("rendezvous_gateway_sockets_open").contains("rendezvous_gateway_frames_in_total");
        // the public port serves the overall health alone (API.md: load balancers ask there); metrics, components and
        // the probe groups stay internal
        HttpResponse<String> publicHealth = gw.get("/actuator/health", null);
        assertThat(publicHealth.statusCode()).isEqualTo(200);
        assertThat(publicHealth.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(publicHealth.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(gw.get("/actuator/health/readiness", null).statusCode()).isEqualTo(404);
        assertThat(gw.get("/actuator/prometheus", null).statusCode()).isEqualTo(404);
        assertThat(gw.get("/actuator/prometheus", null).body()).doesNotContain("rendezvous_gateway_sockets_open");
    }

    @Test
    void shouldKeepReadingAKeepAliveConnectionAfterAQueuedRequestIsAnsweredAtOnce() throws Exception {
        // reactor/reactor-netty#4361: a slow request, a fast one queued behind it, then the next request
        for (int round = 0; round < 10; round++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", gw.port)) {
                s.setSoTimeout(10_000);
                java.io.OutputStream out = s.getOutputStream();
                out.write(("GET /actuator/health HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /api/v1/nothing-here HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                java.io.InputStream in = s.getInputStream();
                StringBuilder seen = new StringBuilder();
                byte[] buf = new byte[8192];
                boolean thirdSent = false;
                while (count(seen, "HTTP/1.1 ") < 3) {
                    int n = in.read(buf); // a stalled connection times out here
                    assertThat(n).as("connection closed early").isPositive();
                    seen.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
                    if (!thirdSent && count(seen, "HTTP/1.1 ") >= 2) {
                        thirdSent = true;
                        out.write("GET /api/v1/nothing-here HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    }
                }
            }
        }
    }

    private static int count(CharSequence text, String what) {
        return text.toString().split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static HttpResponse<String> register(String email, String password, String name) {
        return gw.post("/api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + password
                + "\",\"displayName\":\"" + name + "\"}", null);
    }

    private static String forgedToken() {
        return new TokenService("some-other-secret-some-other-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Duration.ofHours(1), Clock.systemUTC()).issueUser(UUID.randomUUID(), "Forger").token();
    }

    private static String expiredToken(UUID user) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
        return new TokenService(RunningGateway.SECRET, Duration.ofHours(1), past).issueUser(user, "Old").token();
    }

    @Test
    void shouldAnswerTheHost503AnalyticsOffWithoutClickHouseButStillRefuseOthersFirst() {
        Map<String, String> host = gw.newUser("Ana");
        Map<String, String> other = gw.newUser("Oto");
        String meeting = gw.newMeeting(host.get("token"), "unmeasured").get("meetingId");
        String path = "/api/v1/meetings/" + meeting + "/analytics";
        assertError(gw.get(path, host.get("token")), 503, "analytics_off");
        assertError(gw.get(path, other.get("token")), 403, "forbidden");
        assertError(gw.get(path, null), 401, "unauthorized");
    }

    @Test
    void shouldServeTheReportPageToItsHostAndA403PageToAnotherTokenInTheLink() {
        Map<String, String> host = gw.newUser("Rea");
        Map<String, String> other = gw.newUser("Nos");
        String meeting = gw.newMeeting(host.get("token"), "reported").get("meetingId");
        String page = "/meetings/" + meeting + "/report";

        HttpResponse<String> own = gw.get(page + "?token=" + host.get("token"), null);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("reported");
        // without a token in the link the page reads the browser's storage: only it can tell, so it is served
        assertThat(gw.get(page, null).statusCode()).isEqualTo(200);

        for (String token : List.of(other.get("token"), "not-a-token")) {
            HttpResponse<String> refused = gw.get(page + "?token=" + token, null);
            assertThat(refused.statusCode()).as("the report page for %s", token).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(refused.body()).contains("data-testid=\"report-status\"").contains("Only the meeting's host")
                    .contains("/forget-token.mjs").doesNotContain("reported");
        }
        assertThat(gw.get(page + "?token=", null).statusCode()).as("a blank token is none").isEqualTo(200);
        assertThat(gw.get("/meetings/" + UUID.randomUUID() + "/report?token=" + host.get("token"), null).statusCode())
                .isEqualTo(404);

        // the host's token, logged out, no longer opens the page
        assertThat(gw.post("/api/v1/auth/logout", "", host.get("token")).statusCode()).isEqualTo(204);
        HttpResponse<String> revoked = gw.get(page + "?token=" + host.get("token"), null);
        assertThat(revoked.statusCode()).as("the report page for a logged-out token").isEqualTo(403);
        assertThat(revoked.body()).contains("data-testid=\"report-status\"").doesNotContain("reported");
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as("status of %s: %s", r.uri(), r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as("content type").startsWith("application/json");
        JsonNode body = Jsons.tree(r.body());
        assertThat(body.get("error").asString()).as("error code in %s", r.body()).isEqualTo(code);
        assertThat(body.get("message").asString()).as("message").isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("trace").doesNotContain("\tat ");
    }
}
