package dev.rendezvous.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * PostgreSQL for the stack: either an embedded PostgreSQL 17 (zonky binaries) on 127.0.0.1 with a data
 * directory that is kept between runs, or an external server given by a JDBC URL (nothing is started then).
 * An embedded one always has a database named {@value #DATABASE}.
 */
public final class Postgres implements AutoCloseable {

    public static final String DATABASE = "rendezvous";

    private final Path dataDir;      // null when external
    private final Path logFile;      // null when external
    private final int port;          // -1 when external
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final Clock clock;
    private final StackListener listener;
    /** The embedded server's roles and passwords; null when external. */
    private final PostgresAccess access;
    private EmbeddedPostgres embedded;
    private boolean closed;

    private Postgres(Path dataDir, Path logFile, int port, String jdbcUrl, String username, String password,
                     Clock clock, StackListener listener, PostgresAccess access) {
        this.access = access;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * An embedded server with its data in {@code dataDir} (initialised on first start, never cleaned). Its
     * {@linkplain #username() user} is the apps' own role, not the superuser, and every connection needs a
     * password ({@link PostgresAccess}); the passwords are kept in {@code <dataDir>-access.properties}.
     */
    public static Postgres embedded(Path dataDir, int port, Path logFile, Clock clock, StackListener listener) {
        Path dir = dataDir.toAbsolutePath();
        PostgresAccess access = PostgresAccess.loadOrCreate(dir);
        return new Postgres(dir, logFile.toAbsolutePath(), port,
                "jdbc:postgresql://" + Ports.HOST + ":" + port + "/" + DATABASE, PostgresAccess.APP_ROLE,
                access.appPassword, clock, listener, access);
    }

    /**
     * An external server: {@code jdbcUrl} (e.g. {@code jdbc:postgresql://db:5432/rendezvous}) names the
     * database to use; it must exist.
     */
    public static Postgres external(String jdbcUrl, String username, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db): " + jdbcUrl);
        }
        return new Postgres(null, null, -1, jdbcUrl, Objects.requireNonNullElse(username, ""),
                Objects.requireNonNullElse(password, ""), Clock.systemUTC(), StackListener.logging(), null);
    }

    public boolean isEmbedded() {
        return dataDir != null;
    }

    /** The embedded server's port; -1 for an external one. */
    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The same database for R2DBC: {@code r2dbc:postgresql://127.0.0.1:PORT/rendezvous}. */
    public String r2dbcUrl() {
        return "r2dbc:" + jdbcUrl.substring("jdbc:".length());
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** A new JDBC connection to the database, as {@link #username()}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    /**
     * Drops and creates database {@code name} on the same server, owned by {@link #username()} (tests give each
     * app its own). Embedded: done as the superuser. External: as the given user, who needs CREATEDB.
     */
    public void recreateDatabase(String name) throws SQLException {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        String url = jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1) + "postgres";
        try (Connection c = isEmbedded()
                ? DriverManager.getConnection(url, PostgresAccess.SUPERUSER, access.superuserPassword)
                : DriverManager.getConnection(url, username, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name + (isEmbedded() ? " OWNER " + username : ""));
        }
    }

    /**
     * Embedded: starts the server (initdb on first use), then, as the superuser, sets its access up
     * ({@link PostgresAccess}: the passwords, the apps' role owning the {@value #DATABASE} database, made if missing,
     * and a {@code pg_hba.conf} that asks every connection for its password). External: checks that the database
     * answers.
     */
    public void start(Duration timeout) {
        if (!isEmbedded()) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return;
            } catch (SQLException e) {
                throw new StackException("cannot reach PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
            }
        }
        Path pgData = dataDir;
        try {
            Files.createDirectories(pgData);
            PrivateFiles.directory(logFile.getParent());
            PrivateFiles.file(logFile);
        } catch (IOException e) {
            throw new StackException("cannot create " + pgData + ": " + e.getMessage(), e);
        }
        stopLeftoverPostmaster(pgData);
        access.requireUsable(pgData);
        ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        synchronized (this) {
            if (closed) {
                throw new StackException("PostgreSQL was closed while starting");
            }
            try {
                embedded = EmbeddedPostgres.builder()
                        .setDataDirectory(pgData)
                        .setCleanDataDirectory(false)
                        .setPort(port)
                        .setServerConfig("listen_addresses", Ports.HOST)
                        .setServerConfig("max_connections", "200")
                        // zonky runs tests with fsync off (-F); this data is kept, so keep it crash-safe
                        // (synchronous_commit stays off: a crash may lose the last moments, never the database)
                        .setServerConfig("fsync", "on")
                        // zonky checks that the server answers as the superuser, who has a password from the
                        // first start on (PostgresAccess; the first initdb still trusts, and ignores it)
                        .setConnectConfig("password", access.superuserPassword)
                        .setRegisterShutdownHook(false) // the Stack stops it, after the apps
                        .setPGStartupWait(timeout)
                        .setOutputRedirector(toLog)
                        .setErrorRedirector(toLog)
                        .start();
            } catch (IOException | RuntimeException e) {
                throw new StackException("PostgreSQL did not start on " + Ports.HOST + ":" + port + ": " + e.getMessage()
                        + "; last lines of " + logFile + ":" + System.lineSeparator() + ChildProcess.tail(logFile, 20), e);
            }
        }
        String admin = "jdbc:postgresql://" + Ports.HOST + ":" + port + "/";
        Poll.until(clock, timeout, "PostgreSQL database " + DATABASE, () -> {
            try (Connection c = DriverManager.getConnection(admin + "postgres", PostgresAccess.SUPERUSER,
                    access.superuserPassword)) {
                access.applyRoles(c);
                try (Connection inApp = DriverManager.getConnection(admin + DATABASE, PostgresAccess.SUPERUSER,
                        access.superuserPassword)) {
                    PostgresAccess.handOverObjects(inApp);
                }
                PostgresAccess.requirePasswords(pgData, c);
                return true;
            }
        });
    }

    /**
     * A postmaster left running by a run that was killed hard still holds the data directory and port. Its
     * pid is the first line of {@code postmaster.pid}.
     */
    static Optional<ProcessHandle> leftoverPostmaster(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void stopLeftoverPostmaster(Path pgData) {
        leftoverPostmaster(pgData).ifPresent(ph -> {
            listener.onWarning("stopping leftover PostgreSQL (pid " + ph.pid() + ") from a previous run that did not shut down");
            ChildProcess.stopAll(Map.of(ph, "INT"), Duration.ofSeconds(20));
        });
    }

    /** Embedded: fast shutdown ({@code pg_ctl stop -m fast}). External: nothing. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        stop();
    }

    /**
     * Embedded: stops the server (fast shutdown) and keeps its data; {@link #start} starts it again (outage tests).
     * External: nothing.
     */
    public synchronized void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException | RuntimeException e) {
                listener.onWarning("stopping PostgreSQL: " + e.getMessage());
            }
            embedded = null;
        }
    }

    public synchronized boolean isRunning() {
        return embedded != null;
    }

    /** The embedded server's postmaster while it runs (its backends are its children); empty for an external one. */
    public Optional<ProcessHandle> postmaster() {
        return isEmbedded() ? leftoverPostmaster(dataDir) : Optional.empty();
    }

    Path dataDirectory() {
        return dataDir;
    }
}
