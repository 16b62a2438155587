package dev.rendezvous.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The stack's generated secrets, made once and kept in {@code <dataDir>/secrets.properties} (mode 600):
 * the JWT signing key and the S3 key pair. Keeping them means sessions and stored objects stay valid
 * across restarts.
 */
final class Secrets {

    static final String FILE = "secrets.properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    final String jwtSecret;
    final String s3AccessKey;
    final String s3SecretKey;

    private Secrets(String jwtSecret, String s3AccessKey, String s3SecretKey) {
        this.jwtSecret = jwtSecret;
        this.s3AccessKey = s3AccessKey;
        this.s3SecretKey = s3SecretKey;
    }

    static synchronized Secrets loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Properties p = new Properties();
        try {
            if (Files.exists(file)) {
                PrivateFiles.file(file); // tighten one an older version left readable
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
            }
            boolean changed = false;
            if (blank(p, "jwt-secret")) {
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                p.setProperty("jwt-secret", Base64.getEncoder().encodeToString(key));
                changed = true;
            }
            if (blank(p, "s3.access-key")) {
                p.setProperty("s3.access-key", random(ALNUM_UPPER, 20));
                changed = true;
            }
            if (blank(p, "s3.secret-key")) {
                p.setProperty("s3.secret-key", random(ALNUM, 40));
                changed = true;
            }
            if (changed) {
                Files.createDirectories(dataDir);
                if (!Files.exists(file) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                try (Writer w = Files.newBufferedWriter(file)) {
                    p.store(w, "generated once by dev.rendezvous.stack; keep private");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
        return new Secrets(p.getProperty("jwt-secret"), p.getProperty("s3.access-key"), p.getProperty("s3.secret-key"));
    }

    private static boolean blank(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank();
    }

    /** {@code length} characters of {@code alphabet}, from a SecureRandom. */
    static String random(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
