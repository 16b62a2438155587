package dev.rendezvous.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int status(String... args) {
        return StatusCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitWith2WhenNoStackRunsOnTheDataDir() {
        assertThat(status("--data-dir=" + dir)).isEqualTo(StatusCommand.EXIT_NOT_RUNNING);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no Rendezvous stack is running on " + dir);
    }

    @Test
    void shouldExitWith2WhenTheLauncherThatWroteTheStateHasEnded() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        // a pid with another start time: not that launcher
        new RunState(ProcessHandle.current().pid(), 1L, dir.toString(), "http://127.0.0.1:8080", List.of()).write(dir);

        assertThat(status("--data-dir=" + dir)).isEqualTo(StatusCommand.EXIT_NOT_RUNNING);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("has ended");
    }

    @Test
    void shouldReportAStoppedProcessAndExitWith1() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Path livePid = dir.resolve("run/kafka.pid");
        Files.writeString(livePid, ProcessHandle.current().pid() + " 0\n"); // this JVM stands for a live server
        int closedPort = dev.rendezvous.stack.Ports.freePort();
        RunState state = new RunState(ProcessHandle.current().pid(), RunState.startMillis(ProcessHandle.current()),
                dir.toString(), "http://127.0.0.1:8080", List.of(
                new RunState.Entry("kafka", "kafka", null, livePid.toString(), Map.of("kafka", closedPort), -1),
                new RunState.Entry("media-forwarder-2", "forwarder", "fwd-2", dir.resolve("run/media-forwarder-2.pid").toString(),
                        Map.of("http", 1, "management", 2), 2)));
        state.write(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(RunState.file(dir)))).isEqualTo("rw-------");

        assertThat(status("--data-dir=" + dir, "--json")).isEqualTo(StatusCommand.EXIT_SOMETHING_DOWN);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"healthy\" : false", "\"STOPPED\"", "\"fwd-2\"", "\"DOWN\"");

        out.reset();
        assertThat(status("--data-dir=" + dir)).isEqualTo(StatusCommand.EXIT_SOMETHING_DOWN);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("NOT UP: kafka DOWN, media-forwarder-2 STOPPED")
                .contains("fwd-2");
    }

    @Test
    void shouldReadFiguresFromPrometheusText() {
        String text = String.join("\n",
                "# HELP rendezvous_forwarder_load the figures",
                "rendezvous_forwarder_load{application=\"media-forwarder\",figure=\"participants\"} 7.0",
                "rendezvous_forwarder_load{application=\"media-forwarder\",figure=\"rooms\"} 3.0",
                "rendezvous_gateway_sockets_open{application=\"edge-gateway\"} 12.0");

        assertThat(StatusProbe.sample(text, "rendezvous_forwarder_load", "figure=\"rooms\"")).hasValue(3.0);
        assertThat(StatusProbe.sample(text, "rendezvous_forwarder_load", "figure=\"participants\"")).hasValue(7.0);
        assertThat(StatusProbe.sample(text, "rendezvous_gateway_sockets_open", null)).hasValue(12.0);
        assertThat(StatusProbe.sample(text, "rendezvous_gateway_sockets", null)).isEmpty();
        assertThat(StatusProbe.sample(null, "x", null)).isEmpty();
    }

    @Test
    void shouldRefuseUnknownArguments() {
        assertThat(status("--colour")).isEqualTo(StatusCommand.EXIT_USAGE);
    }
}
