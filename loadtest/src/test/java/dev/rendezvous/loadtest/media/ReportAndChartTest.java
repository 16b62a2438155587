package dev.rendezvous.loadtest.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportAndChartTest {

    @TempDir
    Path dir;

    @Test
    void replacingASectionKeepsEverythingAroundIt() {
        String doc = "# Benchmarks\n\nintro\n<!-- media-load:begin -->\nold\n<!-- media-load:end -->\n\nnotes after\n";
        String out = ReportWriter.replaceSection(doc, "media-load", "new body\n");
        assertThat(out).isEqualTo("# Benchmarks\n\nintro\n<!-- media-load:begin -->\nnew body\n<!-- media-load:end -->\n\nnotes after\n");
    }

    @Test
    void aMissingSectionIsAppendedAndOtherKeysAreLeftAlone() {
        String doc = "# B\n<!-- media-load:begin -->\nstack\n<!-- media-load:end -->\n";
        String out = ReportWriter.replaceSection(doc, "media-load-in-process", "in process");
        assertThat(out).startsWith(doc).endsWith("<!-- media-load-in-process:begin -->\nin process\n<!-- media-load-in-process:end -->\n");
        assertThat(ReportWriter.replaceSection(out, "media-load-in-process", "again")).contains("again").doesNotContain("in process\n");
    }

    @Test
    void sectionNamesTheMachineTheConditionsAndTheDerivedPerCoreFigure() {
        RunResult r = result(true);
        String md = ReportWriter.section(List.of(r), new MachineInfo(2, "AMD EPYC", 24L << 30, "Linux 6", "17.0.15"),
                "the engine", "media-load-in-process.png", LocalDate.of(2026, 12, 5));
        assertThat(md).contains("| cores (`nproc`) | 2 |", "| CPU (`/proc/cpuinfo`) | AMD EPYC |", "| memory | 24 GiB |",
                "| Java | 17.0.15 |", "in-process MediaEngine", "1×50 audio only", "include", "clients",
                "![egress packets/s against forwarder CPU](media-load-in-process.png)");
        // 10,000 pkt/s out over 0.5 cores of the forwarder's threads, 0.25 of them the packet thread
        assertThat(md).contains("| **20,000** | 40,000 |");
        assertThat(md).contains("own threads", "| client sockets | a blocked reader thread per socket");
        assertThat(md).contains("fan-out,sent 10,000");
        assertThat(md).contains("| 80 % | 1.20 | 12 |");
        assertThat(md).contains("| 0.05 / 2.50 / 9.0 |");
        assertThat(md).as("unknown figures are a dash, never NaN").contains("| – / – |").doesNotContain("NaN");
    }

    @Test
    void perCoreFigureDividesByTheForwardersCpuInBothModes() {
        assertThat(result(false).ppsPerCore()).isEqualTo(20_000);
        assertThat(result(true).ppsPerCore()).isEqualTo(20_000);
        assertThat(result(true).ppsPerPacketThreadCore()).isEqualTo(40_000);
    }

    @Test
    void chartIsAReadablePngWithTheSeriesDrawn() throws Exception {
        Path png = dir.resolve("chart.png");
        ChartWriter.write(png, "test", List.of(new ChartWriter.Series("a", List.of(new RunResult.Point(10, 5, 1000),
                new RunResult.Point(20, 9, 2000))), new ChartWriter.Series("b", List.of(new RunResult.Point(Double.NaN, 1, 5)))),
                false);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(560);
        int blue = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == 0x1f77b4) {
                    blue++;
                }
            }
        }
        assertThat(blue).as("pixels of the first series' colour").isGreaterThan(50);
    }

    @Test
    void axisLimitsRoundUpToOneTwoOrFive() {
        assertThat(ChartWriter.niceCeiling(0.7)).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ChartWriter.niceCeiling(130)).isEqualTo(200);
        assertThat(ChartWriter.niceCeiling(2001)).isEqualTo(5000);
        assertThat(ChartWriter.niceCeiling(50_000)).isEqualTo(50_000);
    }

    private static RunResult result(boolean inProcess) {
        MediaLoadOptions o = new MediaLoadOptions(1, 50, 0, 15, 30, 5, 10, inProcess ? null : "http://127.0.0.1:8080",
                inProcess, MediaLoadOptions.DEFAULT_METRICS, null, null, null, null, 0);
        return new RunResult(o, 50, 50, 2450, 2450, 30, 2500, 10_000, 1.5, 0, Double.NaN, Double.NaN, 0.05, 2.5, 9,
                1000, 2500, 10_000, Double.NaN, 0.5, 0.25, 100, 0, 0, Double.NaN, 300, 900, 49, 80, 1.2, 12,
                Map.of("fan-out,sent", 10_000.0), List.of(), List.of());
    }
}
