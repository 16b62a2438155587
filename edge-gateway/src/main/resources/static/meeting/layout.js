// Where the tiles go: pure maths (no DOM), tested with node --test (edge-gateway/src/test/js/layout.test.mjs).
//
// The stage is the space left by the toolbar and the open side panel. Without a focus it is a grid of the remote
// tiles (1 → the whole stage, 2 → side by side, …), paged beyond a page's worth, with your own tile as a smaller
// picture-in-picture (or alone in the grid while nobody else is there). With a focus — a pinned tile, else a
// shared screen, else the active speaker in speaker view — the focus takes the stage and every other tile,
// yours included, goes to a filmstrip.

/** Phone-sized: the toolbar sits at the bottom, one or two grid columns, panels as full-screen sheets. */
export const PHONE_MAX_WIDTH = 600;

export function isPhone(width) {
  return Number.isFinite(width) && width > 0 && width <= PHONE_MAX_WIDTH;
}

/**
 * The grid of `n` tiles of the given aspect ratio that makes each tile largest in a `width`×`height` box:
 * { cols, rows, tileWidth, tileHeight } (whole pixels). n < 1 or a box without area gives one empty cell.
 */
export function fitGrid(n, width, height, { aspect = 16 / 9, gap = 8, maxCols = Infinity } = {}) {
  const count = Math.max(1, Math.floor(Number(n) || 0));
  const w = Math.max(0, Number(width) || 0);
  const h = Math.max(0, Number(height) || 0);
  const a = aspect > 0 ? aspect : 16 / 9;
  const limit = Math.max(1, Math.min(count, Math.floor(maxCols) || 1));
  let best = { cols: 1, rows: count, tileWidth: 0, tileHeight: 0 };
  for (let cols = 1; cols <= limit; cols++) {
    const rows = Math.ceil(count / cols);
    const cellW = (w - gap * (cols - 1)) / cols;
    const cellH = (h - gap * (rows - 1)) / rows;
    if (cellW <= 0 || cellH <= 0) continue;
    const tileW = Math.min(cellW, cellH * a);
    const tileH = tileW / a;
    if (tileW * tileH > best.tileWidth * best.tileHeight) {
      best = { cols, rows, tileWidth: Math.floor(tileW), tileHeight: Math.floor(tileH) };
    }
  }
  return best;
}

/** How many grid tiles one page holds: 2 columns × 3 rows on a phone, 3 × 3 (or 4 × 4 on a large screen) else. */
export function perPage(width, height) {
  if (isPhone(width)) return 6;
  return width >= 1600 && height >= 900 ? 16 : 9;
}

/** How many columns the grid may have at this width. */
export function maxColumns(width) {
  return isPhone(width) ? 2 : Infinity;
}

/**
 * Which tile goes where.
 * @param {object} a
 * @param {string[]} a.cameras   remote camera tile keys, in the page's order
 * @param {string[]} a.screens   remote screen-share tile keys
 * @param {string|null} a.self   your own tile's key (null before the page has one)
 * @param {'grid'|'speaker'} a.mode
 * @param {string|null} a.pinned a pinned tile key (ignored when no such tile)
 * @param {string|null} a.speaker the active speaker's camera tile key
 * @param {number} a.page        the grid page asked for (clamped)
 * @param {number} a.perPage     grid tiles per page
 * @returns {{focus: string|null, strip: string[], grid: string[], pip: string|null, page: number, pages: number}}
 */
export function arrange({ cameras = [], screens = [], self = null, mode = 'grid', pinned = null, speaker = null,
  page = 0, perPage: size = 9 } = {}) {
  const all = [...screens, ...cameras, ...(self ? [self] : [])];
  let focus = null;
  if (pinned && all.includes(pinned)) focus = pinned;
  else if (screens.length) focus = screens[0];
  else if (mode === 'speaker' && cameras.length) focus = speaker && cameras.includes(speaker) ? speaker : cameras[0];
  if (focus) {
    return { focus, strip: all.filter((k) => k !== focus), grid: [], pip: null, page: 0, pages: 1 };
  }
  if (!cameras.length) return { focus: null, strip: [], grid: self ? [self] : [], pip: null, page: 0, pages: 1 };
  const n = Math.max(1, Math.floor(size) || 1);
  const pages = Math.ceil(cameras.length / n);
  const p = Math.min(Math.max(0, Math.floor(Number(page) || 0)), pages - 1);
  return { focus: null, strip: [], grid: cameras.slice(p * n, p * n + n), pip: self, page: p, pages };
}

/** Two or three letters for a tile without video ("Ada Lovelace" → "AL", "bob" → "B"). */
export function initials(name) {
  const words = String(name || '').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return '?';
  const letters = words.length === 1 ? [words[0]] : [words[0], words[words.length - 1]];
  return letters.map((w) => Array.from(w)[0].toUpperCase()).join('');
}
