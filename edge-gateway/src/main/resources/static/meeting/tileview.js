// What the page tells the forwarder about the remote video it shows (the `media-view` frame, docs/protocol.md):
// for each remote video track, the size its tile is rendered at in device pixels (CSS px × devicePixelRatio), or
// that it is not shown. The forwarder sends a simulcast track at the lowest layer at least as wide as the tile, and
// nothing for a hidden one. Pure (no DOM), so node --test covers it; viewsize.js measures and sends.

/** The gateway's limits: at most this many tiles, each 1 to MAX_PIXELS device pixels wide and high. */
export const MAX_TILES = 256;
export const MAX_PIXELS = 7680;

const clampPixels = (v) => Math.max(1, Math.min(MAX_PIXELS, Math.round(v)));

/**
 * One track's entry. `box` is the tile's rendered size in CSS pixels ({ width, height }) or null when it is not
 * shown; `dpr` the devicePixelRatio. A box of zero area counts as not shown.
 */
export function viewEntry(socketId, source, box, dpr) {
  const ratio = Number.isFinite(dpr) && dpr > 0 ? dpr : 1;
  if (!box || !(box.width > 0) || !(box.height > 0)) return { socketId, source, hidden: true };
  return { socketId, source, width: clampPixels(box.width * ratio), height: clampPixels(box.height * ratio) };
}

/**
 * The `tiles` of a media-view from the subscribe offer's tracks (mid -> { socketId, kind, source }) and a measure
 * function (socketId, source) -> box or null: one entry per remote video track (a person's camera, a screen),
 * each listed once, at most MAX_TILES, in a stable order.
 */
export function viewOf(tracks, measure, dpr) {
  const seen = new Set();
  const out = [];
  for (const t of tracks.values()) {
    if (!t || t.kind !== 'video' || typeof t.socketId !== 'string' || !t.socketId) continue;
    const source = t.source === 'screen' ? 'screen' : 'camera';
    const key = t.socketId + '|' + source;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(viewEntry(t.socketId, source, measure(t.socketId, source), dpr));
  }
  out.sort((a, b) => (a.socketId + '|' + a.source < b.socketId + '|' + b.source ? -1 : 1));
  return out.slice(0, MAX_TILES);
}

/** A string equal for equal views (the page sends a view only when it differs from the last one sent). */
export function viewKey(tiles) {
  return JSON.stringify(tiles);
}
