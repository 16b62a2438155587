package dev.rendezvous.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TopicsDocTest {

    private static final String HOW = "is stale: regenerate it with `mvn -q -pl topics compile exec:java` from the repo root";

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("topics/pom.xml"))) {
            p = p.getParent();
        }
        assertThat(p).as("repo root above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    @Test
    void shouldMatchCommittedDocsTopicsMd() throws IOException {
        Path f = repoRoot().resolve(TopicsDoc.MARKDOWN_PATH);
        assertThat(f).exists();
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).as(f + " " + HOW).isEqualTo(TopicsDoc.markdown());
    }

    @Test
    void shouldMatchCommittedHelmTopicsYaml() throws IOException {
        Path f = repoRoot().resolve(TopicsDoc.HELM_PATH);
        assertThat(f).exists();
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).as(f + " " + HOW).isEqualTo(TopicsDoc.helmYaml());
    }

    @Test
    void shouldListEveryTopicInTheMarkdown() {
        String md = TopicsDoc.markdown();
        Topics.ALL.forEach(t -> assertThat(md).contains("`" + t.name() + "`"));
    }
}
