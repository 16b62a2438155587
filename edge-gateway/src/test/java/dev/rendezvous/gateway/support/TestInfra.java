package dev.rendezvous.gateway.support;

import dev.rendezvous.stack.Stack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real Kafka broker and a real PostgreSQL for the integration tests, started once per test JVM through the
 * project's stack runtime (no apps, no S3, no ClickHouse) and stopped when the JVM exits. Each test class gets a
 * database of its own.
 */
public final class TestInfra {

    private static Stack stack;
    private static Path dir;

    private TestInfra() {}

    public static synchronized Stack stack() {
        if (stack == null) {
            try {
                dir = Files.createTempDirectory("gateway-it-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stack = Stack.builder(dir).freePorts().noApps().s3(false).clickHouse(false).aerospike(false)
                    .startupTimeout(Duration.ofSeconds(120)).shutdownHook(false).start();
            Runtime.getRuntime().addShutdownHook(new Thread(TestInfra::stop, "gateway-it-infra-stop"));
        }
        return stack;
    }

    public static String kafkaBootstrapServers() {
        return stack().kafkaBootstrapServers();
    }

    /** Creates a fresh database and answers its R2DBC URL. */
    public static String newDatabase(String name) {
        Stack s = stack();
        try {
            s.postgres().recreateDatabase(name); // owned by the apps' role
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return r2dbcUrl(name);
    }

    /** The R2DBC URL of a test database. */
    public static String r2dbcUrl(String name) {
        return "r2dbc:postgresql://127.0.0.1:" + stack().postgresPort() + "/" + name;
    }

    /** Runs SQL in a test database (to play stream-apps' part, which owns chat_messages). */
    public static void sql(String database, String... statements) {
        Stack s = stack();
        String url = "jdbc:postgresql://127.0.0.1:" + s.postgresPort() + "/" + database;
        try (Connection c = java.sql.DriverManager.getConnection(url, s.postgresUsername(), s.postgresPassword());
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + database + ": " + e.getMessage(), e);
        }
    }

    private static synchronized void stop() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
