package dev.rendezvous.loadtest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MediaLoadOptionsTest {

    @Test
    void defaultsTargetTheAllInOneStackAndWriteTheBenchmarksFile() {
        MediaLoadOptions o = MediaLoadOptions.parse();
        assertThat(o.target()).isEqualTo("http://127.0.0.1:8080");
        assertThat(o.forwarderMetrics()).isEqualTo("http://127.0.0.1:9082/actuator/prometheus");
        assertThat(o.report()).isEqualTo(Path.of("docs/benchmarks.md"));
        assertThat(o.chart()).isEqualTo(Path.of("docs/media-load.png"));
        assertThat(o.inProcess()).isFalse();
        assertThat(o.runs()).containsExactly(o);
    }

    @Test
    void acceptsBothSpaceAndEqualsForms() {
        MediaLoadOptions o = MediaLoadOptions.parse("--rooms", "50", "--participants=4", "--video-kbps", "0",
                "--duration=20", "--join-rate", "25.5");
        assertThat(o.rooms()).isEqualTo(50);
        assertThat(o.participants()).isEqualTo(4);
        assertThat(o.video()).isFalse();
        assertThat(o.durationSeconds()).isEqualTo(20);
        assertThat(o.joinRate()).isEqualTo(25.5);
        assertThat(o.clients()).isEqualTo(200);
        assertThat(o.label()).isEqualTo("50×4 audio only");
    }

    @Test
    void inProcessHasNoTargetAndItsOwnChart() {
        MediaLoadOptions o = MediaLoadOptions.parse("--in-process");
        assertThat(o.target()).isNull();
        assertThat(o.chart()).isEqualTo(Path.of("docs/media-load-in-process.png"));
        assertThat(o.mode()).isEqualTo("in-process");
    }

    @Test
    void noReportMeansNoChartEither() {
        MediaLoadOptions o = MediaLoadOptions.parse("--no-report");
        assertThat(o.report()).isNull();
        assertThat(o.chart()).isNull();
    }

    @Test
    void issueScenarioExpandsToTheThreeShapesAndKeepsOtherFlags() {
        MediaLoadOptions o = MediaLoadOptions.parse("--scenario", "issue", "--duration", "40", "--in-process");
        assertThat(o.runs()).extracting(MediaLoadOptions::label)
                .containsExactly("1×50 audio only", "1×50 100 kbit/s video", "50×4 100 kbit/s video");
        assertThat(o.runs()).allSatisfy(r -> {
            assertThat(r.durationSeconds()).isEqualTo(40);
            assertThat(r.inProcess()).isTrue();
            assertThat(r.scenario()).isNull();
        });
    }

    @Test
    void shapesListRunsOfOnesOwnInOrder() {
        MediaLoadOptions o = MediaLoadOptions.parse("--shapes", "1x30x100, 20X4x0", "--fps", "10");
        assertThat(o.runs()).extracting(MediaLoadOptions::label)
                .containsExactly("1×30 100 kbit/s video", "20×4 audio only");
        assertThat(o.runs()).allSatisfy(r -> assertThat(r.fps()).isEqualTo(10));
        assertThatThrownBy(() -> MediaLoadOptions.parse("--shapes", "1x30").runs()).hasMessageContaining("ROOMSx");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--shapes", "1x1x0").runs()).hasMessageContaining("2 participants");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--shapes", "1x3x0", "--scenario", "issue"))
                .hasMessageContaining("exclude");
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> MediaLoadOptions.parse("--rooms")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--rooms", "many")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--participants", "1")).hasMessageContaining("2 participants");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--bogus", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--target", "http://x", "--in-process"))
                .hasMessageContaining("exclude");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--duration", "3600")).hasMessageContaining("at most 600");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--join-rate", "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaLoadOptions.parse("--scenario", "huge").runs()).hasMessageContaining("unknown scenario");
        assertThatThrownBy(() -> MediaLoadOptions.parse("--help")).isInstanceOf(MediaLoadOptions.HelpRequested.class);
        assertThat(MediaLoadOptions.usage()).contains("--rooms", "--in-process", "--forwarder-metrics", "--chart");
    }
}
