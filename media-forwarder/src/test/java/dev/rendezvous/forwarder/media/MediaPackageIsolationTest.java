package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packet path knows nothing of Kafka, Spring, Reactor, JSON or the topic catalogue (see package-info).
 * Checked on the sources, so that a forbidden import fails the build before anyone builds on it.
 */
class MediaPackageIsolationTest {

    private static final Path MEDIA = Path.of("src/main/java/dev/rendezvous/forwarder/media");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> FORBIDDEN = List.of(
            "org.apache.kafka", "reactor.", "org.springframework", "tools.jackson", "com.fasterxml",
            "dev.rendezvous.topics", "dev.rendezvous.forwarder.kafka", "dev.rendezvous.forwarder.config",
            "dev.rendezvous.forwarder.command", "dev.rendezvous.forwarder.metrics", "io.micrometer");

    @Test
    void shouldImportNothingOfKafkaSpringJsonOrTheControlSide() throws IOException {
        assertThat(MEDIA).isDirectory();
        try (Stream<Path> files = Files.walk(MEDIA)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(sources).isNotEmpty();
            for (Path source : sources) {
                String text = Files.readString(source);
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    String imported = m.group(2);
                    assertThat(FORBIDDEN).as("%s imports %s", source.getFileName(), imported)
                            .noneMatch(imported::startsWith);
                }
                assertThat(FORBIDDEN).as("%s names a forbidden package", source.getFileName())
                        .noneMatch(p -> text.replaceAll("(?s)/\\*.*?\\*/|//[^\\n]*", "").contains(p));
            }
        }
    }
}
