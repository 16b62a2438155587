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
 *   <li><b>presentation</b> (a screen shared): the shared screen on the stage, the left {@code width − width/4},
 *       and everyone else (cameras, other screens) beside it in the right quarter: one column of 16:9 slots (four
 *       slots high) for up to four, two columns up to {@link #BESIDE_TWO_COLUMNS}, three up to {@link #BESIDE_MAX};
 *       those past that are not shown (their voices are still heard). A screen shared by someone alone fills the
 *       canvas.</li>
 * </ul>
 * With more than one cell, each is inset by half of {@link #GUTTER} on every side (when it is large enough). Every
 * position and size is even (4:2:0 chroma), and every rectangle lies inside the canvas.
 */
final class CompositeLayout {

    /** Black pixels between two neighbouring cells (half on each side of a cell). */
    static final int GUTTER = 4;
    /** Slots of the presentation's first column (it is centred when it has fewer). */
    static final int COLUMN_SLOTS = 4;
    /** Most people beside the stage in two columns; above, three. */
    static final int BESIDE_TWO_COLUMNS = 12;
    /** Most people shown beside the stage. */
    static final int BESIDE_MAX = 21;

    private CompositeLayout() {
    }

    /**
     * The cell (the area a picture is fitted into) of each present cell index that is shown.
     *
     * @param present the present cells' indices, in the order they first appeared
     * @param stage   the shared screen on the stage (one of {@code present}), or -1 for none
     */
    static Map<Integer, GridLayout.Rect> place(int width, int height, List<Integer> present, int stage) {
        Map<Integer, GridLayout.Rect> out = new LinkedHashMap<>();
        if (present.isEmpty()) {
            return out;
        }
        if (present.size() == 1) {
            out.put(present.get(0), new GridLayout.Rect(0, 0, width, height));
            return out;
        }
        if (stage < 0 || !present.contains(stage)) {
            gallery(width, height, present, out);
            return out;
        }
        List<Integer> others = new ArrayList<>(present);
        others.remove(Integer.valueOf(stage));
        int sideWidth = even(width / 4);
        int stageWidth = width - sideWidth;
        out.put(stage, gutter(new GridLayout.Rect(0, 0, stageWidth, height)));
        List<Integer> shown = others.subList(0, Math.min(BESIDE_MAX, others.size()));
        int columns = shown.size() <= COLUMN_SLOTS ? 1 : shown.size() <= BESIDE_TWO_COLUMNS ? 2 : 3;
        int rows = (shown.size() + columns - 1) / columns;
        int slotWidth = even(sideWidth / columns);
        int slotHeight = even(Math.min(height / Math.max(COLUMN_SLOTS, rows), slotWidth * 9 / 16));
        if (slotWidth < 2 || slotHeight < 2) {
            return out;   // a canvas too small for anyone beside the stage
        }
        int top = even((height - slotHeight * rows) / 2);
        for (int k = 0; k < shown.size(); k++) {
            int x = stageWidth + (k % columns) * slotWidth;
            int y = top + (k / columns) * slotHeight;
            out.put(shown.get(k), gutter(new GridLayout.Rect(x, y, slotWidth, slotHeight)));
        }
        return out;
    }

    private static void gallery(int width, int height, List<Integer> present, Map<Integer, GridLayout.Rect> out) {
        int n = present.size();
        GridLayout grid = GridLayout.of(width, height, n);
        int lastRow = (grid.rows() - 1) * grid.columns();
        int shift = even((grid.columns() - (n - lastRow)) * width / grid.columns() / 2);   // the last row centred
        for (int k = 0; k < n; k++) {
            GridLayout.Rect c = grid.cell(k);
            out.put(present.get(k), gutter(k >= lastRow
                    ? new GridLayout.Rect(c.x() + shift, c.y(), c.width(), c.height()) : c));
        }
    }

    /** {@code r} less {@link #GUTTER} / 2 on each side, so that neighbours are apart (a cell too small keeps all). */
    private static GridLayout.Rect gutter(GridLayout.Rect r) {
        if (r.width() <= 2 * GUTTER || r.height() <= 2 * GUTTER) {
            return r;
        }
        int g = GUTTER / 2;
        return new GridLayout.Rect(r.x() + g, r.y() + g, r.width() - GUTTER, r.height() - GUTTER);
    }

    private static int even(int v) {
        return v & ~1;
    }
}
