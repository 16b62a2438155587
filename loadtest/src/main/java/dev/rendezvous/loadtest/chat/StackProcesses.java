package dev.rendezvous.loadtest.chat;

import dev.rendezvous.topics.serde.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The all-in-one's processes, from {@code ./rendezvous status --json} (docs/operations.md): each one's name and
 * pid, and the broker's address. Empty when the command is not there or no stack runs.
 *
 * @param pids      process name (e.g. {@code edge-gateway}, {@code kafka}) → pid, running ones only
 * @param bootstrap the broker's {@code host:port}, or null
 */
public record StackProcesses(Map<String, Long> pids, String bootstrap) {

    public static final StackProcesses NONE = new StackProcesses(Map.of(), null);

    /** Runs {@code launcher status --json [--data-dir=DIR]} (e.g. {@code ./rendezvous}) and reads it. */
    public static StackProcesses discover(Path launcher, String dataDir) {
        if (!Files.isExecutable(launcher)) {
            return NONE;
        }
        try {
            List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "status", "--json"));
            if (dataDir != null) {
                cmd.add("--data-dir=" + dataDir);
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return NONE;
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NONE;
        }
    }

    static StackProcesses parse(String json) {
        int start = json.indexOf('{');
        if (start < 0) {
            return NONE;
        }
        JsonNode root = Json.mapper().readTree(json.substring(start));
        Map<String, Long> pids = new LinkedHashMap<>();
        String bootstrap = null;
        for (JsonNode p : root.path("processes")) {
            if (p.path("pid").isNumber()) {
                pids.put(p.path("name").asText(), p.path("pid").asLong());
            }
            if ("kafka".equals(p.path("kind").asText()) && p.path("ports").path("kafka").isNumber()) {
                bootstrap = "127.0.0.1:" + p.path("ports").path("kafka").asInt();
            }
        }
        return new StackProcesses(Collections.unmodifiableMap(pids), bootstrap);
    }
}
