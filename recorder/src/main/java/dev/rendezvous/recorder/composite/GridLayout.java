package dev.rendezvous.recorder.composite;

/**
 * Where each of {@code n} tiles goes on a {@code width}×{@code height} canvas: a grid of
 * ⌈√n⌉ columns and as many rows as needed (1 → full, 2 → side by side, 3–4 → 2×2, 5–6 → 3×2, 7–9 → 3×3, …),
 * filled row by row. A picture keeps its aspect ratio inside its cell and is centred (letterboxed). Every
 * position and size is even, as 4:2:0 chroma needs.
 */
record GridLayout(int width, int height, int columns, int rows) {

    /** A rectangle on the canvas. */
    record Rect(int x, int y, int width, int height) {}

    static GridLayout of(int width, int height, int tiles) {
        if (tiles < 1) {
            throw new IllegalArgumentException("a grid needs at least one tile");
        }
        int columns = (int) Math.ceil(Math.sqrt(tiles));
        int rows = (tiles + columns - 1) / columns;
        return new GridLayout(width, height, columns, rows);
    }

    /** The cell of tile {@code index}. */
    Rect cell(int index) {
        int col = index % columns;
        int row = index / columns;
        int x0 = even(width * col / columns);
        int x1 = even(width * (col + 1) / columns);
        int y0 = even(height * row / rows);
        int y1 = even(height * (row + 1) / rows);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /** A {@code srcWidth}×{@code srcHeight} picture as large as fits in {@code cell}, centred (letterboxed). */
    static Rect fit(Rect cell, int srcWidth, int srcHeight) {
        if (srcWidth <= 0 || srcHeight <= 0) {
            return cell;
        }
        int w = cell.width();
        int h = (int) ((long) w * srcHeight / srcWidth);
        if (h > cell.height()) {
            h = cell.height();
            w = (int) ((long) h * srcWidth / srcHeight);
        }
        w = Math.max(2, even(w));
        h = Math.max(2, even(h));
        return new Rect(cell.x() + even((cell.width() - w) / 2), cell.y() + even((cell.height() - h) / 2), w, h);
    }

    private static int even(int v) {
        return v & ~1;
    }
}
