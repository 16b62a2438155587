package dev.rendezvous.recorder.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GridLayoutTest {

    @Test
    void gridsByCount() {
        assertThat(GridLayout.of(1280, 720, 1)).extracting(GridLayout::columns, GridLayout::rows).containsExactly(1, 1);
        assertThat(GridLayout.of(1280, 720, 2)).extracting(GridLayout::columns, GridLayout::rows).containsExactly(2, 1);
        assertThat(GridLayout.of(1280, 720, 3)).extracting(GridLayout::columns, GridLayout::rows).containsExactly(2, 2);
        assertThat(GridLayout.of(1280, 720, 4)).extracting(GridLayout::columns, GridLayout::rows).containsExactly(2, 2);
        assertThat(GridLayout.of(1280, 720, 6)).extracting(GridLayout::columns, GridLayout::rows).containsExactly(3, 2);
        assertThat(GridLayout.of(1280, 720, 9)).extracting(GridLayout::columns, GridLayout::rows).containsExactly(3, 3);
        assertThatThrownBy(() -> GridLayout.of(1280, 720, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPictureKeepsItsAspectCentredInItsCellOnEvenPixels() {
        GridLayout two = GridLayout.of(1280, 720, 2);
        assertThat(two.cell(1)).isEqualTo(new GridLayout.Rect(640, 0, 640, 720));
        assertThat(GridLayout.fit(two.cell(0), 640, 480)).as("4:3 in a 640×720 cell: bars above and below")
                .isEqualTo(new GridLayout.Rect(0, 120, 640, 480));
        assertThat(GridLayout.fit(GridLayout.of(1280, 720, 1).cell(0), 640, 480)).as("4:3 on 16:9: bars left and right")
                .isEqualTo(new GridLayout.Rect(160, 0, 960, 720));
        GridLayout.Rect odd = GridLayout.fit(GridLayout.of(1000, 562, 3).cell(3), 333, 199);
        assertThat(odd.x() % 2 + odd.y() % 2 + odd.width() % 2 + odd.height() % 2).isZero();
        assertThat(odd.x() + odd.width()).isLessThanOrEqualTo(1000);
        assertThat(odd.y() + odd.height()).isLessThanOrEqualTo(562);
    }
}
