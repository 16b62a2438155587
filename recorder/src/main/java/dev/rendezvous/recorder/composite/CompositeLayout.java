package dev.rendezvous.recorder.composite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the cells present at one moment go on a {@code width}×{@code height} canvas. Only the cells present are laid
 * out, so the picture always uses the whole canvas (one person alone fills it; a second arriving halves it):
 * <ul>
 *   <li><b>gallery</b> (no screen shared): a {@link GridLayout} of the present cells, in the order they first
 *       appeared, an incomplete last row centred;</li>
 *   <li><b>presentation</b> (a screen shared): the shared screen (the one that appeared last, when several are) takes
 *       the stage, the left {@code width − width/4}, and everyone else (cameras, other screens) stands in a column on
 *       the right, a quarter of the width, in slots of 16:9 (at least four slots high; more people, smaller slots).
 *       A screen shared by someone alone fills the canvas.</li>
 * </ul>
 * With more than one cell, each is inset by half of {@link #GUTTER} on every side. Every position and size is even
 * (4:2:0 chroma).
 */
final class CompositeLayout {

    /** Black pixels between two neighbouring cells (half on each side of a cell). */
    static final int GUTTER = 4;
    /** Slots the presentation's column has room for before they shrink. */
    static final int COLUMN_SLOTS = 4;

    private CompositeLayout() {
    }

    /**
     * The cell (the area a picture is fitted into) of each present cell index.
     *
     * @param present the present cells' indices, in the order they first appeared
     * @param screens which cell indices are shared screens (the others are cameras)
     */
    static Map<Integer, GridLayout.Rect> place(int width, int height, List<Integer> present,
                                               java.util.Set<Integer> screens) {
        Map<Integer, GridLayout.Rect> out = new LinkedHashMap<>();
        if (present.isEmpty()) {
            return out;
        }
        Integer stage = null;
        for (Integer i : present) {
            if (screens.contains(i)) {
                stage = i;   // the last one to have appeared
            }
        }
        if (present.size() == 1) {
            out.put(present.get(0), new GridLayout.Rect(0, 0, width, height));
            return out;
        }
        if (stage == null) {
            int n = present.size();
            GridLayout grid = GridLayout.of(width, height, n);
            int lastRow = (grid.rows() - 1) * grid.columns();
            int shift = even((grid.columns() - (n - lastRow)) * width / grid.columns() / 2);   // the last row centred
            for (int k = 0; k < n; k++) {
                GridLayout.Rect c = grid.cell(k);
                out.put(present.get(k), gutter(k >= lastRow ? new GridLayout.Rect(c.x() + shift, c.y(), c.width(),
                        c.height()) : c));
            }
            return out;
        }
        List<Integer> others = new ArrayList<>(present);
        others.remove(stage);
        int columnWidth = even(width / 4);
        int stageWidth = width - columnWidth;
        out.put(stage, gutter(new GridLayout.Rect(0, 0, stageWidth, height)));
        int slots = Math.max(COLUMN_SLOTS, others.size());
        int slotHeight = even(Math.min(height / slots, columnWidth * 9 / 16));
        int top = even((height - slotHeight * others.size()) / 2);
        for (int k = 0; k < others.size(); k++) {
            out.put(others.get(k), gutter(new GridLayout.Rect(stageWidth, top + k * slotHeight, columnWidth, slotHeight)));
        }
        return out;
    }

    /** {@code r} less {@link #GUTTER} / 2 on each side, so that neighbours are apart. */
    private static GridLayout.Rect gutter(GridLayout.Rect r) {
        int g = GUTTER / 2;
        return new GridLayout.Rect(r.x() + g, r.y() + g, r.width() - GUTTER, r.height() - GUTTER);
    }

    private static int even(int v) {
        return v & ~1;
    }
}
