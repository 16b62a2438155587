package dev.rendezvous.recorder.composite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompositeLayoutTest {

    @Test
    void onlyThePresentCellsShareTheCanvasInTheOrderTheyCame() {
        assertThat(CompositeLayout.place(1280, 720, List.of(), Set.of())).isEmpty();
        assertThat(CompositeLayout.place(1280, 720, List.of(3), Set.of()))
                .containsExactly(Map.entry(3, new GridLayout.Rect(0, 0, 1280, 720)));
        // with others, a gutter of 4 pixels between neighbours
        assertThat(CompositeLayout.place(1280, 720, List.of(1, 4), Set.of())).containsExactly(
                Map.entry(1, new GridLayout.Rect(2, 2, 636, 716)),
                Map.entry(4, new GridLayout.Rect(642, 2, 636, 716)));
        assertThat(CompositeLayout.place(1280, 720, List.of(0, 1, 2), Set.of())).hasSize(3)
                .as("the third alone in the last row, centred")
                .containsEntry(2, new GridLayout.Rect(322, 362, 636, 356));
    }

    @Test
    void aSharedScreenTakesTheStageAndTheOthersStandBesideIt() {
        Map<Integer, GridLayout.Rect> p = CompositeLayout.place(1280, 720, List.of(0, 1, 2), Set.of(1));
        assertThat(p.get(1)).isEqualTo(new GridLayout.Rect(2, 2, 956, 716));
        // two others in 16:9 slots of the right quarter, centred vertically
        assertThat(p.get(0)).isEqualTo(new GridLayout.Rect(962, 182, 316, 176));
        assertThat(p.get(2)).isEqualTo(new GridLayout.Rect(962, 362, 316, 176));

        assertThat(CompositeLayout.place(1280, 720, List.of(5), Set.of(5)))
                .as("a screen shared by someone alone fills the canvas")
                .containsExactly(Map.entry(5, new GridLayout.Rect(0, 0, 1280, 720)));
        assertThat(CompositeLayout.place(1280, 720, List.of(0, 1, 2), Set.of(0, 2)).get(2))
                .as("of two screens, the one that came last is on the stage")
                .isEqualTo(new GridLayout.Rect(2, 2, 956, 716));
    }

    @Test
    void manyBesideTheStageGetSmallerSlotsThatStillFitOnEvenPixels() {
        List<Integer> ten = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Map<Integer, GridLayout.Rect> p = CompositeLayout.place(1000, 562, ten, Set.of(9));
        assertThat(p).hasSize(10);
        for (GridLayout.Rect r : p.values()) {
            assertThat(r.x() % 2 + r.y() % 2 + r.width() % 2 + r.height() % 2).isZero();
            assertThat(r.x() + r.width()).isLessThanOrEqualTo(1000);
            assertThat(r.y() + r.height()).isLessThanOrEqualTo(562);
        }
        assertThat(p.get(8).height()).isEqualTo((562 / 9 & ~1) - CompositeLayout.GUTTER);
        assertThat(p.get(0).y()).isLessThan(p.get(1).y());
    }
}
