package dev.rendezvous.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How {@code status} asks one process: its pid file, a TCP connect, the actuator's health and Prometheus text. */
final class StatusProbe {

    private static final String HOST = "127.0.0.1";
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** The live pid written in {@code pidFile} (first word), or empty when there is none or it is not running. */
    static OptionalLong livePid(Path pidFile) {
        try {
            if (pidFile == null || !Files.exists(pidFile)) {
                return OptionalLong.empty();
            }
            String first = Files.readString(pidFile).strip().split("\\s+")[0];
            long pid = Long.parseLong(first);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** True if something accepts connections on {@code 127.0.0.1:port}. */
    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The actuator's {@code status} ({@code UP}, {@code DOWN}, …), or null when it does not answer. */
    String health(int managementPort) {
        String body = get(managementPort, "/actuator/health");
        if (body == null) {
            return null;
        }
        Matcher m = STATUS.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    /** The actuator's Prometheus text, or null. */
    String prometheus(int managementPort) {
        return get(managementPort, "/actuator/prometheus");
    }

    /**
     * The value of the first sample of {@code metric} whose labels contain {@code label} (e.g. {@code figure="rooms"};
     * null: any labels), from Prometheus text.
     */
    static OptionalDouble sample(String prometheusText, String metric, String label) {
        if (prometheusText == null) {
            return OptionalDouble.empty();
        }
        Pattern p = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE);
        Matcher m = p.matcher(prometheusText);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (label == null || labels.contains(label)) {
                try {
                    return OptionalDouble.of(Double.parseDouble(m.group(2)));
                } catch (NumberFormatException e) {
                    return OptionalDouble.empty();
                }
            }
        }
        return OptionalDouble.empty();
    }

    private String get(int port, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            // health answers 503 with a body when DOWN
            return r.statusCode() == 200 || r.statusCode() == 503 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
