package dev.rendezvous.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The launcher's command line. */
record LauncherOptions(Path dataDir, int httpPort, String publicUrl, String postgresUrl, String postgresUser,
                       String postgresPassword, int gateways, int forwarders, boolean help) {

    /** Most gateways or forwarders one machine runs. */
    static final int MAX_FLEET = 9;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: rendezvous-launcher [options]",
            "Runs Rendezvous on this machine: Kafka, PostgreSQL, an S3 server, ClickHouse (if installed) and the",
            "four apps, all on 127.0.0.1. Ctrl-C stops everything; data is kept for the next start.",
            "",
            "  --data-dir=DIR            where data and logs are kept (default: ./data under the repository root)",
            "  --http-port=PORT          the web/API port of the gateway (default: 8080)",
            "  --public-url=URL          the URL people open (default: http://127.0.0.1:<http-port>)",
            "  --gateways=M              run M edge-gateways (default 1, at most 9); with M > 1 nginx (Debian's, which",
            "                            must be installed) is the one entry on the HTTP port and balances over them",
            "  --forwarders=N            run N media-forwarders (default 1, at most 9), ids fwd-1..fwd-N, media on",
            "                            UDP 10000..10000+N-1",
            "  --postgres-url=JDBC_URL   use this PostgreSQL (jdbc:postgresql://host:port/db) instead of the embedded one",
            "  --postgres-user=USER      its user",
            "  --postgres-password-file=FILE  a file holding its password (or set RENDEZVOUS_POSTGRES_PASSWORD);",
            "                            a password is never taken on the command line, where any local user can read it",
            "  --help                    print this and exit",
            "",
            "Exit codes: 0 stopped normally, 1 could not start, 2 a port is already in use, 64 bad options.",
            "",
            "`rendezvous status [--json] [--data-dir=DIR]` shows the processes of the running stack.");

    /** Thrown for a bad command line; the message is for the user. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The environment variable that may hold the external PostgreSQL's password. */
    static final String POSTGRES_PASSWORD_ENV = "RENDEZVOUS_POSTGRES_PASSWORD";

    static LauncherOptions parse(String[] args, Optional<Path> repoHome) throws UsageException {
        return parse(args, repoHome, System.getenv());
    }

    static LauncherOptions parse(String[] args, Optional<Path> repoHome, Map<String, String> env) throws UsageException {
        Path dataDir = null;
        int httpPort = 8080;
        String publicUrl = null;
        String pgUrl = null;
        String pgUser = null;
        String pgPassword = null;
        boolean help = false;
        int gateways = 1;
        int forwarders = 1;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new UsageException("unknown argument: " + arg + " (options look like --name=value; see --help)");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "data-dir":
                    dataDir = Path.of(value);
                    break;
                case "http-port":
                    httpPort = port(value);
                    break;
                case "public-url":
                    if (!value.startsWith("http://") && !value.startsWith("https://")) {
                        throw new UsageException("--public-url must start with http:// or https://: " + value);
                    }
                    publicUrl = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
                    break;
                case "postgres-url":
                    if (!value.startsWith("jdbc:postgresql://")) {
                        throw new UsageException("--postgres-url must be a JDBC URL like jdbc:postgresql://host:5432/rendezvous: " + value);
                    }
                    pgUrl = value;
                    break;
                case "gateways":
                    gateways = count("--gateways", value);
                    break;
                case "forwarders":
                    forwarders = count("--forwarders", value);
                    break;
                case "postgres-user":
                    pgUser = value;
                    break;
                case "postgres-password":
                    throw new UsageException("--postgres-password is not accepted (a command line is readable by every"
                            + " local user): use --postgres-password-file=FILE or " + POSTGRES_PASSWORD_ENV);
                case "postgres-password-file":
                    pgPassword = readPassword(value);
                    break;
                default:
                    throw new UsageException("unknown option: --" + name + " (see --help)");
            }
        }
        if (pgPassword == null && pgUrl != null) {
            pgPassword = env.get(POSTGRES_PASSWORD_ENV);
        }
        if (pgUrl == null && (pgUser != null || pgPassword != null)) {
            throw new UsageException("--postgres-user/--postgres-password-file need --postgres-url");
        }
        if (dataDir == null) {
            dataDir = repoHome.map(h -> h.resolve("data")).orElse(Path.of("data"));
        }
        if (publicUrl == null) {
            publicUrl = "http://127.0.0.1:" + httpPort;
        }
        return new LauncherOptions(dataDir.toAbsolutePath().normalize(), httpPort, publicUrl, pgUrl, pgUser, pgPassword, gateways, forwarders, help);
    }

    private static String readPassword(String file) throws UsageException {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException | RuntimeException e) {
            throw new UsageException("cannot read --postgres-password-file " + file + ": " + e.getMessage());
        }
    }

    private static int count(String option, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_FLEET) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new UsageException(option + " must be a number from 1 to " + MAX_FLEET + ": " + value);
    }

    private static int port(String value) throws UsageException {
        try {
            int p = Integer.parseInt(value);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new UsageException("--http-port must be a TCP port (1-65535): " + value);
    }
}
