package dev.rendezvous.recorder.composite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompositeLayoutTest {

    @Test
    void onlyThePresentCellsShareTheCanvasInTheOrderTheyCame() {
        assertThat(CompositeLayout.place(1280, 720, List.of(), -1)).isEmpty();
        assertThat(CompositeLayout.place(1280, 720, List.of(3), -1))
                .containsExactly(Map.entry(3, new GridLayout.Rect(0, 0, 1280, 720)));
        // with others, a gutter of 4 pixels between neighbours
        assertThat(CompositeLayout.place(1280, 720, List.of(1, 4), -1)).containsExactly(
                Map.entry(1, new GridLayout.Rect(2, 2, 636, 716)),
                Map.entry(4, new GridLayout.Rect(642, 2, 636, 716)));
        assertThat(CompositeLayout.place(1280, 720, List.of(0, 1, 2), -1)).hasSize(3)
                .as("the third alone in the last row, centred")
                .containsEntry(2, new GridLayout.Rect(322, 362, 636, 356));
    }

    @Test
    void aSharedScreenTakesTheStageAndTheOthersStandBesideIt() {
        Map<Integer, GridLayout.Rect> p = CompositeLayout.place(1280, 720, List.of(0, 1, 2), 1);
        assertThat(p.get(1)).isEqualTo(new GridLayout.Rect(2, 2, 956, 716));
        // two others in 16:9 slots of the right quarter, centred vertically
        assertThat(p.get(0)).isEqualTo(new GridLayout.Rect(962, 182, 316, 176));
        assertThat(p.get(2)).isEqualTo(new GridLayout.Rect(962, 362, 316, 176));

        assertThat(CompositeLayout.place(1280, 720, List.of(5), 5))
                .as("a screen shared by someone alone fills the canvas")
                .containsExactly(Map.entry(5, new GridLayout.Rect(0, 0, 1280, 720)));
    }

    @Test
    void manyBesideTheStageTakeMoreColumnsAndThosePastTheLastSlotAreNotShown() {
        List<Integer> thirty = range(30);
        Map<Integer, GridLayout.Rect> p = CompositeLayout.place(1000, 562, thirty, 29);
        assertThat(p).hasSize(1 + CompositeLayout.BESIDE_MAX);
        assertThat(p).containsKeys(29, 0, 20).doesNotContainKeys(21, 28);
        assertThat(p.get(0).y()).isEqualTo(p.get(1).y()).as("three columns");
        assertThat(p.get(3).y()).isGreaterThan(p.get(0).y());
        insideAndEven(p, 1000, 562);
        assertThat(p.get(20).height()).isGreaterThan(20);

        Map<Integer, GridLayout.Rect> eight = CompositeLayout.place(1280, 720, range(9), 8);
        assertThat(eight.get(0).x()).isLessThan(eight.get(1).x()).as("two columns for eight");
        insideAndEven(eight, 1280, 720);
    }

    @Test
    void everyRectangleLiesInsideTheCanvasOnEvenPixelsWhateverTheCountAndSize() {
        int[][] sizes = {{1280, 720}, {1000, 562}, {640, 360}, {320, 180}, {16, 16}};
        for (int[] size : sizes) {
            for (int n = 1; n <= 60; n++) {
                insideAndEven(CompositeLayout.place(size[0], size[1], range(n), -1), size[0], size[1]);
                insideAndEven(CompositeLayout.place(size[0], size[1], range(n), n - 1), size[0], size[1]);
            }
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static void insideAndEven(Map<Integer, GridLayout.Rect> places, int width, int height) {
        for (GridLayout.Rect r : places.values()) {
            assertThat(r.x() % 2 + r.y() % 2 + r.width() % 2 + r.height() % 2).as("%s even", r).isZero();
            assertThat(r.x()).as("%s", r).isGreaterThanOrEqualTo(0);
            assertThat(r.y()).as("%s", r).isGreaterThanOrEqualTo(0);
            assertThat(r.width()).as("%s", r).isGreaterThanOrEqualTo(2);
            assertThat(r.height()).as("%s", r).isGreaterThanOrEqualTo(2);
            assertThat(r.x() + r.width()).as("%s in %d", r, width).isLessThanOrEqualTo(width);
            assertThat(r.y() + r.height()).as("%s in %d", r, height).isLessThanOrEqualTo(height);
        }
    }
}
