package dev.rendezvous.stack;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one app is started with, split in two: its arguments (ports, URLs, ids: nothing secret, since any
 * local user can read a process's command line) and its secrets (the JWT signing key, the database password,
 * the S3 keys), which go to a file of mode 600 in the data dir's run/ folder that the app reads through
 * {@code --spring.config.import}. A caller's extra argument replaces the stack's own value for the same key,
 * and one naming a secret property goes to the file too.
 */
final class AppLaunch {

    /** Spring properties whose values are secrets: never on a command line. */
    static final Set<String> SECRET_PROPERTIES = Set.of(
            "rendezvous.auth.jwt-secret",
            "spring.r2dbc.password",
            "rendezvous.s3.access-key",
            "rendezvous.s3.secret-key");

    private static final Pattern OPTION = Pattern.compile("^--([^=]+)=(.*)$", Pattern.DOTALL);

    private final Map<String, String> options = new LinkedHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final List<String> others = new ArrayList<>();

    /** Sets a property (secret ones go to the file); a later call for the same key wins. */
    AppLaunch put(String property, String value) {
        options.remove(property);
        secrets.remove(property);
        (SECRET_PROPERTIES.contains(property) ? secrets : options).put(property, value);
        return this;
    }

    /** Applies a caller's extra arguments: {@code --key=value} replaces the stack's value, anything else is kept as is. */
    AppLaunch extra(List<String> args) {
        for (String a : args) {
            Matcher m = OPTION.matcher(a);
            if (m.matches()) {
                put(m.group(1), m.group(2));
            } else {
                others.add(a);
            }
        }
        return this;
    }

    /** The command-line arguments, {@code --key=value} in order, then the caller's other arguments. */
    List<String> args() {
        List<String> out = new ArrayList<>();
        options.forEach((k, v) -> out.add("--" + k + "=" + v));
        out.addAll(others);
        return Collections.unmodifiableList(out);
    }

    /** The secret properties, by name. */
    Map<String, String> secrets() {
        return Collections.unmodifiableMap(secrets);
    }

    /** Writes the secrets file (mode 600, replaced on every start); the app imports it. */
    void writeSecrets(Path file) {
        Properties p = new Properties();
        p.putAll(secrets);
        StringWriter text = new StringWriter();
        try {
            p.store(text, "written by dev.rendezvous.stack on every start of the app; private to its owner");
            PrivateFiles.directory(file.getParent());
            PrivateFiles.write(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
