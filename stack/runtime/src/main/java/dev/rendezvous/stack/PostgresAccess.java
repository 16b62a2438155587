package dev.rendezvous.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Who may use the embedded PostgreSQL, and how. zonky's {@code initdb -A trust} lets any local user in as the
 * superuser without a password (and a superuser can run programs as the stack's OS user). So, at every start:
 * <ul>
 *   <li>the apps get their own role, {@value #APP_ROLE}: it logs in, owns the {@value Postgres#DATABASE} database
 *       and everything in its {@code public} schema (an older data directory's tables, made by the superuser, are
 *       handed over), and is neither a superuser nor allowed to create databases or roles;</li>
 *   <li>both roles have generated passwords, kept beside the data directory ({@code <pgdata>-access.properties},
 *       mode 600, never on a command line or in a log);</li>
 *   <li>{@code pg_hba.conf} asks every connection, socket or TCP, for its password (SCRAM-SHA-256).</li>
 * </ul>
 * Cost: a data directory used by this version refuses an older one (it knew only {@code postgres/postgres}).
 */
final class PostgresAccess {

    /** The role the apps (and {@link Postgres#connect()}) use. */
    static final String APP_ROLE = "rendezvous";
    static final String SUPERUSER = "postgres";
    static final String HBA = """
            # Written by dev.rendezvous.stack (PostgresAccess) at every start: a password (SCRAM) for every connection.
            local   all   all                 scram-sha-256
            host    all   all   127.0.0.1/32  scram-sha-256
            host    all   all   ::1/128       scram-sha-256
            """;

    final String superuserPassword;
    final String appPassword;
    /** True when the passwords were made by this {@link #loadOrCreate} (no file, or an unreadable one). */
    final boolean generated;
    /** Set once {@link #applyRoles} gave the server these passwords: a stop and start of the same server is fine. */
    private volatile boolean applied;

    private PostgresAccess(String superuserPassword, String appPassword, boolean generated) {
        this.superuserPassword = superuserPassword;
        this.appPassword = appPassword;
        this.generated = generated;
    }

    /** The file beside a data directory that holds its passwords. */
    static Path file(Path pgData) {
        return pgData.resolveSibling(pgData.getFileName() + "-access.properties");
    }

    /** The passwords of this data directory, generated (and kept) the first time. */
    static synchronized PostgresAccess loadOrCreate(Path pgData) {
        Path file = file(pgData);
        Properties p = new Properties();
        boolean changed;
        try {
            if (Files.exists(file)) {
                PrivateFiles.file(file);
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            changed = false;
            for (String key : new String[] {"superuser.password", "app.password"}) {
                String v = p.getProperty(key);
                if (v == null || !v.matches("[A-Za-z0-9]{24,}")) {
                    p.setProperty(key, Secrets.random(Secrets.ALNUM, 32));
                    changed = true;
                }
            }
            if (changed) {
                Files.createDirectories(file.getParent());
                StringWriter w = new StringWriter();
                p.store(w, "generated once by dev.rendezvous.stack for the embedded PostgreSQL; keep private");
                PrivateFiles.write(file, w.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
        return new PostgresAccess(p.getProperty("superuser.password"), p.getProperty("app.password"), changed);
    }


    /**
     * On a connection of the superuser to the {@code postgres} database: the passwords, the app role, the
     * database (made if missing) and its owner. Idempotent.
     */
    void applyRoles(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement()) {
            // passwords are [A-Za-z0-9] only (checked when loaded): safe inside a literal, which ALTER ROLE needs
            s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + superuserPassword + "'");
            String options = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
                    + appPassword + "'";
            s.execute((exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", APP_ROLE) ? "ALTER" : "CREATE")
                    + " ROLE " + APP_ROLE + options);
            if (exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", Postgres.DATABASE)) {
                s.execute("ALTER DATABASE " + Postgres.DATABASE + " OWNER TO " + APP_ROLE);
            } else {
                s.execute("CREATE DATABASE " + Postgres.DATABASE + " OWNER " + APP_ROLE);
            }
        }
        applied = true;
    }

    /**
     * On a connection of the superuser to the app's database: hands the app role what an older version made as
     * the superuser in {@code public} (tables with their indexes and sequences, views, free sequences).
     */
    static void handOverObjects(Connection adminInAppDatabase) throws SQLException {
        try (Statement s = adminInAppDatabase.createStatement()) {
            s.execute("""
                    DO $$
                    DECLARE r record;
                    BEGIN
                      FOR r IN SELECT c.relname, c.relkind FROM pg_class c
                               WHERE c.relnamespace = 'public'::regnamespace
                                 AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                                 AND pg_get_userbyid(c.relowner) <> '%1$s'
                                 AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                                          WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
                      LOOP
                        EXECUTE format(CASE r.relkind
                            WHEN 'S' THEN 'ALTER SEQUENCE public.%%I OWNER TO %1$s'
                            WHEN 'v' THEN 'ALTER VIEW public.%%I OWNER TO %1$s'
                            WHEN 'm' THEN 'ALTER MATERIALIZED VIEW public.%%I OWNER TO %1$s'
                            WHEN 'f' THEN 'ALTER FOREIGN TABLE public.%%I OWNER TO %1$s'
                            ELSE 'ALTER TABLE public.%%I OWNER TO %1$s' END, r.relname);
                      END LOOP;
                    END $$""".formatted(APP_ROLE));
        }
    }

    /**
     * Before the server starts: new passwords for a data directory whose {@code pg_hba.conf} already asks for the
     * old ones cannot get in (the access file was lost); say so, and how to recover, instead of waiting in vain.
     */
    void requireUsable(Path pgData) {
        Path hba = pgData.resolve("pg_hba.conf");
        try {
            if (generated && !applied && Files.exists(pgData.resolve("PG_VERSION")) && Files.exists(hba)
                    && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA)) {
                throw new StackException("the embedded PostgreSQL in " + pgData + " asks for passwords that were in "
                        + file(pgData) + ", which is gone: restore that file, or (as the data directory's owner) replace "
                        + hba + " with the line 'host all all 127.0.0.1/32 trust' and start again: the next start sets new passwords"
                        + " and asks for them again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hba, e);
        }
    }

    /** Writes {@link #HBA} if the file says anything else, and has the server read it again (every time: cheap). */
    static void requirePasswords(Path pgData, Connection admin) throws SQLException {
        Path hba = pgData.resolve("pg_hba.conf");
        try {
            if (!Files.exists(hba) || !Files.readString(hba, StandardCharsets.UTF_8).equals(HBA)) {
                PrivateFiles.write(hba, HBA);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + hba, e);
        }
        try (Statement s = admin.createStatement(); ResultSet r = s.executeQuery("SELECT pg_reload_conf()")) {
            r.next();
        }
    }

    private static boolean exists(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(query)) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }
}
