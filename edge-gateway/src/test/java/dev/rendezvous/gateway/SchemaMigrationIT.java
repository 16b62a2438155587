package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.TestInfra;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A database made by an older gateway (before meeting settings and invitations) is migrated at start, data kept. */
class SchemaMigrationIT {

    private static final String DB = "gw_schema_migration";

    @Test
    void shouldMigrateTheTablesOfAnOlderGatewayKeepingItsMeetings() {
        UUID user = UUID.randomUUID();
        UUID meeting = UUID.randomUUID();
        TestInfra.newDatabase(DB);
        // the schema as of 2026-11-25 (Schema.DDL before the settings and invitations were appended)
        TestInfra.sql(DB, """
                CREATE TABLE users (id uuid PRIMARY KEY, email varchar(320) NOT NULL, password_hash varchar(100) NOT NULL,
                  display_name varchar(100) NOT NULL, created_at timestamptz NOT NULL DEFAULT now())""",
                "CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))",
                """
                CREATE TABLE meetings (id uuid PRIMARY KEY, code varchar(16) NOT NULL UNIQUE, title varchar(200) NOT NULL,
                  host_id uuid NOT NULL REFERENCES users (id), lobby boolean NOT NULL DEFAULT false,
                  created_at timestamptz NOT NULL DEFAULT now(), ended_at timestamptz)""",
                "CREATE INDEX meetings_host_idx ON meetings (host_id)",
                """
                CREATE TABLE meeting_participants (meeting_id uuid NOT NULL REFERENCES meetings (id),
                  user_id uuid NOT NULL REFERENCES users (id), first_joined_at timestamptz NOT NULL DEFAULT now(),
                  PRIMARY KEY (meeting_id, user_id))""",
                "INSERT INTO users (id, email, password_hash, display_name) VALUES ('" + user
                        + "', 'old@example.com', 'x', 'Olga')",
                "INSERT INTO meetings (id, code, title, host_id, lobby) VALUES ('" + meeting + "', 'old-meet-ing', 'Old one', '"
                        + user + "', true)");

        try (RunningGateway gw = RunningGateway.startOn(DB)) {
            String token = new TokenService(RunningGateway.SECRET, Duration.ofHours(1), Clock.systemUTC())
                    .issueUser(user, "Olga").token();
            HttpResponse<String> r = gw.get("/api/v1/me/meetings", token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode old = Jsons.tree(r.body()).get(0);
            assertThat(old.get("meetingId").asString()).isEqualTo(meeting.toString());
            assertThat(old.get("lobby").asBoolean()).isTrue();
            assertThat(old.get("scheduled").asBoolean()).isFalse();
            assertThat(old.get("muteOnEntry").asBoolean()).isFalse();
            assertThat(old.get("allowGuests").asBoolean()).isTrue();
            assertThat(old.has("maxParticipants")).isFalse();

            // the new columns and table work on the migrated database
            Instant at = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            HttpResponse<String> created = gw.post("/api/v1/meetings",
                    "{\"title\":\"New one\",\"startsAt\":\"" + at + "\",\"maxParticipants\":5}", token);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            var invitee = gw.newUser("Ines");
            assertThat(gw.post("/api/v1/meetings/" + Jsons.field(created.body(), "meetingId") + "/invites",
                    "{\"email\":\"" + invitee.get("email") + "\"}", token).statusCode()).isEqualTo(201);
            assertThat(Jsons.tree(gw.get("/api/v1/me/meetings", invitee.get("token")).body()).get(0).get("title").asString())
                    .isEqualTo("New one");
        }
    }
}
