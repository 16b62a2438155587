package dev.rendezvous.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An S3 API server (s3proxy, filesystem provider) in a child JVM on 127.0.0.1, with AWS v2/v4 signature
 * checks against one access/secret key pair. Objects are plain files under {@code <dir>/data/<bucket>/}.
 */
public final class S3Server implements AutoCloseable {

    static final String ARTIFACT = "stack-s3-server";
    public static final String REGION = "us-east-1";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path dir;
    private final Path logDir;
    private final Path runDir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private final Clock clock;
    private final StackListener listener;
    private final ServerProcess server = new ServerProcess("S3 server", STOP_GRACE);

    public S3Server(Path dir, int port, String accessKey, String secretKey, Path logDir, Clock clock, StackListener listener) {
        this(dir, port, accessKey, secretKey, logDir, dir.resolve("run"), clock, listener);
    }

    S3Server(Path dir, int port, String accessKey, String secretKey, Path logDir, Path runDir, Clock clock,
             StackListener listener) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.logDir = logDir.toAbsolutePath();
        this.runDir = runDir.toAbsolutePath();
        this.clock = clock;
        this.listener = listener;
    }

    public String endpoint() {
        return "http://" + Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Where buckets live (one directory each). */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /** Creates a bucket if it does not exist (the filesystem provider's bucket is a directory). */
    public void ensureBucket(String bucket) {
        try {
            Path b = dataDir().resolve(bucket);
            Files.createDirectories(b);
            makePrivate(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * s3proxy's filesystem store derives ACLs from file modes: a bucket directory or object file that others
     * may read is served to anonymous (unsigned) requests. Everything here is owner-only: existing files are
     * fixed on start, and s3proxy runs with umask 077 for new ones.
     */
    private void makePrivate(Path root) throws IOException {
        if (!Files.exists(root) || !root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                if (perms.removeAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE))) {
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        }
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** The s3proxy process's pid while it runs (outage tests), else -1. */
    public long pid() {
        return server.pid();
    }

    /** Starts s3proxy and waits until it answers HTTP. */
    public void start(Duration timeout) {
        Instant t0 = clock.instant();
        String classpath = Resources.classpath("s3-server.classpath", ARTIFACT);
        Path props = dir.resolve("s3proxy.properties");
        Path logback = dir.resolve("logback.xml");
        Resources.copy("s3-server-logback.xml", ARTIFACT, logback);
        writeProperties(props);
        try {
            makePrivate(dataDir());
        } catch (IOException e) {
            throw new StackException("cannot restrict permissions under " + dataDir() + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-Xms32m",
                "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + logback, "-cp", classpath,
                "org.gaul.s3proxy.Main", "--properties", props.toString()));
        ChildProcess p = server.start(() -> ChildProcess.start("s3-server", cmd, dir, logDir.resolve("s3-server.log"), runDir, true,
                code -> listener.onWarning("S3 server exited unexpectedly with code " + code
                        + " (see " + logDir.resolve("s3-server.log") + ")")));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(2)).GET().build();
        Poll.until(clock, timeout.minus(Duration.between(t0, clock.instant())), "S3 server on " + endpoint(), () -> {
            p.requireAlive();
            if (!Ports.accepts(port)) {
                return false;
            }
            // any S3 answer will do (unsigned requests get 403 with an S3 XML error)
            return http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
        });
    }

    private void writeProperties(Path file) {
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", endpoint());
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", accessKey);
        p.setProperty("s3proxy.credential", secretKey);
        p.setProperty("s3proxy.ignore-unknown-headers", "true");
        p.setProperty("jclouds.provider", "filesystem");
        p.setProperty("jclouds.filesystem.basedir", dataDir().toString());
        p.setProperty("jclouds.identity", "local");
        p.setProperty("jclouds.credential", "local");
        try {
            Files.createDirectories(dataDir());
            PrivateFiles.file(file); // holds the secret key
            try (var out = Files.newBufferedWriter(file)) {
                p.store(out, "written by dev.rendezvous.stack.S3Server on every start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
