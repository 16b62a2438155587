package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.LayerAllocator.Priority;
import dev.rendezvous.forwarder.media.LayerAllocator.Track;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allocator's decisions on described tracks: tile caps, pauses, spending an estimate, and no oscillation. */
class LayerAllocatorTest {

    private static final long S = 1_000_000_000L;
    private static final int[] WIDTHS = {320, 640, 1280};
    private static final long[] RATES = {150_000, 500_000, 1_500_000};
    private static final int P = LayerAllocator.PAUSED;

    private final LayerAllocator allocator = new LayerAllocator();
    private long now = 100 * S;

    private static Track tile(String key, int width, int height) {
        return new Track(key, Priority.TILE, false, width, height, WIDTHS, RATES, false);
    }

    private static Track hidden(String key) {
        return new Track(key, Priority.TILE, true, -1, -1, WIDTHS, RATES, false);
    }

    private static Track unreported(String key) {
        return new Track(key, Priority.TILE, false, -1, -1, WIDTHS, RATES, false);
    }

    private static Track with(Track t, Priority p) {
        return new Track(t.key(), p, t.hidden(), t.tileWidth(), t.tileHeight(), t.layerWidths(), t.layerBps(), t.idle());
    }

    /** One call a second later, the link congested (the estimate binds). */
    private int[] allocate(long budget, Track... tracks) {
        now += S;
        return allocator.allocate(List.of(tracks), budget, true, 0, now);
    }

    /** One call a second later, the link not congested. */
    private int[] calm(long budget, Track... tracks) {
        now += S;
        return allocator.allocate(List.of(tracks), budget, false, 0, now);
    }

    @Test
    void shouldCapEachTrackAtTheLowestLayerAsWideAsItsTileAndPauseHiddenOnes() {
        assertThat(allocate(-1, tile("a", 320, 180), tile("b", 321, 181), tile("c", 1280, 720), tile("d", 1920, 1080),
                hidden("e"), unreported("f"), tile("g", 100, 56)))
                .containsExactly(0, 1, 2, 2, P, 2, 0);
    }

    @Test
    void shouldCapByTheMeasuredWidthsWhenTheBrowserScaledItsLayersDown() {
        int[] scaled = LayerAllocator.resolveWidths(new int[] {160, -1, 640});
        assertThat(scaled).containsExactly(160, 320, 640);
        Track t = new Track("a", Priority.TILE, false, 320, 180, scaled, RATES, false);
        assertThat(allocate(-1, t)).containsExactly(1);
        assertThat(LayerAllocator.resolveWidths(new int[] {-1, -1, -1})).containsExactly(320, 640, 1280);
        assertThat(LayerAllocator.resolveWidths(new int[] {-1, -1, 960})).containsExactly(240, 480, 960);
        assertThat(LayerAllocator.resolveWidths(new int[] {-1})).containsExactly(1280);
    }

    @Test
    void shouldSpendTheEstimateOnTheScreenShareAndTheSpeakerFirstThenTheLargestTiles() {
        Track big = tile("big", 1280, 720);
        Track small = tile("small", 640, 360);
        Track speaker = with(tile("speaker", 1280, 720), Priority.SPEAKER);
        Track screen = with(tile("screen", 1280, 720), Priority.SCREEN);
        // lowest layers first: 4 × 150 k = 600 k; a raise to the top costs 1,350 k more, to be covered × 1.25
        assertThat(new LayerAllocator().allocate(List.of(small, big, speaker, screen), 600_000 + 1_687_500, true, 0, now))
                .as("only the screen share goes up").containsExactly(0, 0, 0, 2);
        assertThat(new LayerAllocator().allocate(List.of(small, big, speaker, screen), 600_000 + 1_350_000 + 1_687_500, true, 0, now))
                .as("then the speaker").containsExactly(0, 0, 2, 2);
        // 675 k left after those two: the big tile takes its middle layer (350 k more × 1.25), the small one cannot
        assertThat(new LayerAllocator().allocate(List.of(small, big, speaker, screen), 600_000 + 2_700_000 + 675_000, true, 0,
                now)).as("then the largest tile").containsExactly(0, 1, 2, 2);
        // enough for all: each at its cap (the small 640-px tile's is the middle layer)
        assertThat(new LayerAllocator().allocate(List.of(small, big, speaker, screen), 10_000_000, true, 0, now))
                .containsExactly(1, 2, 2, 2);
    }

    @Test
    void shouldSetTheAudioAsideAndNeverPauseAShownTileForWantOfEstimate() {
        int[] d = allocator.allocate(List.of(tile("a", 1280, 720), tile("b", 1280, 720)), 200_000, true, 64_000, now);
        assertThat(d).containsExactly(0, 0);
        LayerAllocator other = new LayerAllocator();
        // 150 k + 150 k + 350 k × 1.25 = 737.5 k fits the middle layer of one, with the audio set aside first
        assertThat(other.allocate(List.of(tile("a", 1280, 720), tile("b", 1280, 720)), 737_500 + 64_000, true, 64_000, now))
                .containsExactly(1, 0);
        assertThat(new LayerAllocator().allocate(List.of(tile("a", 1280, 720), tile("b", 1280, 720)), 737_500 + 63_000, true,
                64_000, now)).containsExactly(0, 0);
    }

    @Test
    void shouldLowerALayerAsSoonAsTheEstimateNoLongerCoversIt() {
        Track a = tile("a", 1280, 720);
        assertThat(allocate(5_000_000, a)).containsExactly(2);
        assertThat(allocate(1_400_000, a)).containsExactly(1);
        assertThat(allocate(400_000, a)).containsExactly(0);
    }

    @Test
    void shouldNotOscillateOnAnEstimateHoveringAtALayersRate() {
        Track a = tile("a", 1280, 720);
        assertThat(allocate(1_500_000, a)).as("the top needs 150 k + 1,350 k × 1.25").containsExactly(1);
        // hovering just above what the top costs: no upgrade without the headroom
        for (long budget : new long[] {1_520_000, 1_480_000, 1_550_000, 1_500_000, 1_600_000}) {
            assertThat(allocate(budget, a)).as("at %d", budget).containsExactly(1);
        }
        // once up, it stays while the estimate covers it without headroom
        assertThat(allocate(2_000_000, a)).containsExactly(2);
        for (long budget : new long[] {1_700_000, 1_520_000, 1_600_000, 1_510_000}) {
            assertThat(allocate(budget, a)).as("at %d", budget).containsExactly(2);
        }
    }

    @Test
    void shouldHoldALoweredTrackForFiveSecondsBeforeRaisingItAgain() {
        Track a = tile("a", 1280, 720);
        assertThat(allocate(5_000_000, a)).containsExactly(2);
        assertThat(allocate(1_000_000, a)).containsExactly(1); // lowered at t
        for (int i = 1; i < LayerAllocator.HOLD_SECONDS; i++) {
            assertThat(allocate(5_000_000, a)).as("%d s after", i).containsExactly(1);
        }
        assertThat(allocate(5_000_000, a)).as("5 s after").containsExactly(2);
    }

    @Test
    void shouldClimbOneLayerPerCallWithoutCongestionOnceTheHoldIsOverAndBackOffWhenLoweredAgain() {
        Track a = tile("a", 1280, 720);
        assertThat(calm(300_000, a)).as("a new track starts at its cap").containsExactly(2);
        assertThat(calm(300_000, a)).as("kept without congestion, whatever the estimate").containsExactly(2);
        assertThat(allocate(300_000, a)).as("congestion: lowered to what fits").containsExactly(0);
        for (int i = 1; i < LayerAllocator.HOLD_SECONDS; i++) {
            assertThat(calm(300_000, a)).as("held %d s after", i).containsExactly(0);
        }
        assertThat(calm(300_000, a)).as("then one layer up").containsExactly(1);
        assertThat(calm(300_000, a)).as("and the next: a probe of the top").containsExactly(2);
        // the probe fails: lowered again within 30 s, so the top is held twice as long; but the layer the probe
        // came from had held, so the track climbs back to it at once instead of sitting on the lowest
        assertThat(allocate(300_000, a)).containsExactly(0);
        assertThat(calm(300_000, a)).as("back to the layer the probe came from").containsExactly(1);
        for (int i = 2; i < 2 * LayerAllocator.HOLD_SECONDS; i++) {
            assertThat(calm(300_000, a)).as("the top held %d s after the second lowering", i).containsExactly(1);
        }
        assertThat(calm(300_000, a)).containsExactly(2);
    }

    /** A failed probe of the middle layer holds it and the top; a lowering that follows no raise holds every raise. */
    @Test
    void shouldHoldTheLayerAFailedProbeTriedAndEveryRaiseAfterAnyOtherLowering() {
        Track a = tile("a", 1280, 720);
        assertThat(calm(600_000, a)).containsExactly(2);
        assertThat(allocate(1_000_000, a)).as("lowered with no raise before it").containsExactly(1);
        assertThat(calm(1_000_000, a)).as("every raise waits").containsExactly(1);
        assertThat(allocate(200_000, a)).as("lowered again, still no probe").containsExactly(0);
        for (int i = 1; i < 2 * LayerAllocator.HOLD_SECONDS; i++) {
            assertThat(calm(500_000, a)).as("held %d s after", i).containsExactly(0);
        }
        assertThat(calm(500_000, a)).as("a probe of the middle layer").containsExactly(1);
        assertThat(allocate(250_000, a)).as("which fails").containsExactly(0);
        for (int i = 1; i < 4 * LayerAllocator.HOLD_SECONDS; i++) {
            assertThat(calm(500_000, a)).as("the middle layer (and the top) held %d s after", i).containsExactly(0);
        }
        assertThat(calm(500_000, a)).containsExactly(1);
    }

    @Test
    void shouldApplyATileCapAtOnceInBothDirections() {
        assertThat(allocate(5_000_000, tile("a", 1280, 720))).containsExactly(2);
        assertThat(allocate(5_000_000, tile("a", 320, 180))).containsExactly(0);
        assertThat(allocate(5_000_000, tile("a", 1280, 720))).containsExactly(2);
        assertThat(allocate(5_000_000, hidden("a"))).containsExactly(P);
        assertThat(allocate(5_000_000, tile("a", 640, 360))).containsExactly(1);
    }

    @Test
    void shouldChargeNothingForIdleTracksAndTheFallbackForUnmeasuredLayers() {
        Track idle = new Track("muted", Priority.TILE, false, 1280, 720, WIDTHS, new long[3], true);
        Track unmeasured = new Track("new", Priority.TILE, false, 1280, 720, WIDTHS, new long[3], false);
        assertThat(LayerAllocator.cost(idle, 2)).isZero();
        assertThat(LayerAllocator.cost(unmeasured, 2)).isEqualTo(1_500_000);
        assertThat(LayerAllocator.cost(unmeasured, 0)).isEqualTo(150_000);
        assertThat(allocate(150_000 + 1_687_500, idle, unmeasured)).containsExactly(2, 2);
    }

    @Test
    void shouldTreatASingleStreamTrackAsItsOnlyLayer() {
        Track one = new Track("one", Priority.TILE, false, 320, 180, new int[] {640}, new long[] {300_000}, false);
        assertThat(allocate(100_000, one)).containsExactly(0);
        assertThat(allocate(-1, new Track("one", Priority.TILE, true, -1, -1, new int[] {640}, new long[] {1}, false)))
                .containsExactly(P);
    }
}
