package dev.rendezvous.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL's access: the apps' role is not a superuser, nobody gets in without a password (zonky's
 * initdb trusts every local connection), the passwords stay out of reach of other users, and a data directory
 * an older version used (tables made by the superuser, every connection trusted) is handed over at the next start.
 */
class PostgresIT {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theAppsRoleOwnsItsDatabaseIsNoSuperuserAndEveryConnectionNeedsAPassword() throws Exception {
        int port = Ports.freePorts(1).get(0);
        Path pgData = dir.resolve("pg");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/";
        Postgres pg = postgres(pgData, port);
        try {
            pg.start(START);
            pg.stop(); // an outage test's stop and start of the same server, its passwords made on the first start
            pg.start(START);
            assertThat(pg.username()).isEqualTo("rendezvous");
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles"
                        + " WHERE rolname = current_user")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getBoolean(1)).as("superuser").isFalse();
                    assertThat(r.getBoolean(2)).as("may create databases").isFalse();
                    assertThat(r.getBoolean(3)).as("may create roles").isFalse();
                }
                s.execute("CREATE TABLE made_by_the_app (id int PRIMARY KEY)"); // it owns the database's schema
                assertThatThrownBy(() -> s.execute("COPY (SELECT 1) TO PROGRAM 'true'"))
                        .as("running programs is for superusers").isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> DriverManager.getConnection(url + "postgres", "postgres", "postgres").close())
                    .as("the old well-known superuser password").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url + "rendezvous", "rendezvous", "wrong").close())
                    .isInstanceOf(SQLException.class);
            Path access = PostgresAccess.file(pgData);
            assertThat(Files.getPosixFilePermissions(access)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(access)).doesNotContain("=postgres");

            // an older version's data directory: trusted connections, a table the superuser made
            String superuserPassword = PostgresAccess.loadOrCreate(pgData).superuserPassword;
            try (Connection c = DriverManager.getConnection(url + "rendezvous", "postgres", superuserPassword);
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE made_by_the_superuser (id bigserial PRIMARY KEY, name text)");
                s.execute("ALTER DATABASE rendezvous OWNER TO postgres");
            }
            pg.close();
            Files.writeString(pgData.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");

            pg = postgres(pgData, port);
            pg.start(START);
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE made_by_the_superuser ADD COLUMN added_by_the_app text"); // owner only
                s.execute("INSERT INTO made_by_the_superuser (name) VALUES ('its sequence too')");
                try (ResultSet r = s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database"
                        + " WHERE datname = current_database()")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo("rendezvous");
                }
            }
            assertThatThrownBy(() -> DriverManager.getConnection(url + "postgres", "postgres", "anything").close())
                    .as("trust is gone again").isInstanceOf(SQLException.class);

            pg.recreateDatabase("another_one");
            try (Connection c = DriverManager.getConnection(url + "another_one", pg.username(), pg.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int)");
            }

            // the access file lost: the start says so at once instead of waiting to log in; the way back it names works
            pg.close();
            Files.delete(PostgresAccess.file(pgData));
            Postgres locked = postgres(pgData, port);
            assertThatThrownBy(() -> locked.start(START)).isInstanceOf(StackException.class)
                    .hasMessageContaining(PostgresAccess.file(pgData).toString())
                    .hasMessageContaining("host all all 127.0.0.1/32 trust");
            locked.close();
            Files.writeString(pgData.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");
            pg = postgres(pgData, port);
            pg.start(START);
            try (Connection c = pg.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM made_by_the_superuser")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getLong(1)).isEqualTo(1);
            }
            assertThat(Files.readString(pgData.resolve("pg_hba.conf"))).isEqualTo(PostgresAccess.HBA);
        } finally {
            pg.close();
        }
    }

    private Postgres postgres(Path pgData, int port) {
        return Postgres.embedded(pgData, port, dir.resolve("postgres.log"), Clock.systemUTC(), StackListener.logging());
    }
}
