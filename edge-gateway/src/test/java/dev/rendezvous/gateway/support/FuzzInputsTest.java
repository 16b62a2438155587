package dev.rendezvous.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The fuzzing generators themselves: reproducible from the seed, varied, and within what a client can send. */
class FuzzInputsTest {

    private static final String MEETING = "00000000-0000-0000-0000-000000000001";

    @Test
    void shouldGiveTheSameFramesForTheSameSeed() {
        FuzzInputs a = new FuzzInputs(42);
        FuzzInputs b = new FuzzInputs(42);
        for (int i = 0; i < 500; i++) {
            assertThat(a.frame(MEETING, "a.b.c").toString()).isEqualTo(b.frame(MEETING, "a.b.c").toString());
        }
    }

    @Test
    void shouldMixEveryKindOfFrameAndStayBelowTheTransportLimitWithValidText() {
        FuzzInputs in = new FuzzInputs(7);
        List<FuzzInputs.Frame> frames = new ArrayList<>();
        IntStream.range(0, 3_000).forEach(i -> frames.add(in.frame(MEETING, "a.b.c")));
        assertThat(frames).anyMatch(f -> f.binary() != null);
        assertThat(frames).anyMatch(f -> f.text() != null && f.text().startsWith("{\"type\":\"join\""));
        assertThat(frames).anyMatch(f -> f.text() != null && f.text().startsWith("{\"type\":\"chat\"")
                && f.text().length() > 65_536);
        assertThat(frames).anyMatch(f -> f.text() != null && f.text().startsWith("[[[["));
        for (FuzzInputs.Frame f : frames) {
            if (f.text() != null) {
                // no lone surrogate: the text survives UTF-8 unchanged
                assertThat(new String(f.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(f.text());
                assertThat(f.text().getBytes(StandardCharsets.UTF_8).length).isLessThan(266_240);
            }
        }
    }

    @Test
    void shouldNeverCutASurrogatePairInTwo() {
        // this seed's run (CI, 2026-12-05) cut an emoji in half: the JDK client refused to send the frame
        FuzzInputs in = new FuzzInputs(24888911574375L);
        for (int i = 0; i < 10_000; i++) {
            FuzzInputs.Frame f = in.frame(MEETING, "a.b.c");
            if (f.text() != null) {
                assertThat(new String(f.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                        .as("frame " + i).isEqualTo(f.text());
            }
        }
        assertThat(FuzzInputs.cut("ab\uD83D\uDE00", 3)).isEqualTo("ab");
        assertThat(FuzzInputs.cut("ab\uD83D\uDE00", 4)).isEqualTo("ab\uD83D\uDE00");
    }
}
