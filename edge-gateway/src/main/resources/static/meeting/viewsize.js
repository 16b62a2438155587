// Tells the forwarder how big each remote video is shown (the `media-view` frame, docs/protocol.md), so that it
// sends a small tile a small simulcast layer and a hidden one nothing. Measures each remote video tile (CSS px ×
// devicePixelRatio; not shown: off the grid's page, out of the viewport, display:none, beyond last-N (lastn.js), or
// the tab hidden), at most
// every DEBOUNCE_MS after a change, and sends only when the result differs from what was last sent on this
// socket and subscribe connection. The test hook can force a tile's size (forceTileSize), for layouts that cannot
// render the size a test needs.
import { meeting, send } from './connection.js';
import { out } from './frames.js';
import { media } from './media.js';
import { store } from './state.js';
import { tileOf } from './tiles.js';
import { viewKey, viewOf } from './tileview.js';

const DEBOUNCE_MS = 250;
const MAX_WAIT_MS = 1000;
const view = {
  timer: null,
  waitingSince: 0,
  lastKey: null,      // what was last sent ...
  lastContext: null,  // ... on which socket and subscribe connection
  lastTiles: null,
  forced: new Map(),  // 'socketId|source' -> { width, height } in device pixels (test hook), or null: hidden
  observed: new WeakSet(),
  resize: null,
  intersect: null,
};

/** The tile's rendered box in CSS pixels, or null when it is not shown now. */
function boxOf(socketId, source) {
  const key = socketId + '|' + source;
  if (view.forced.has(key)) {
    const f = view.forced.get(key);
    return f ? { width: f.width / (window.devicePixelRatio || 1), height: f.height / (window.devicePixelRatio || 1) } : null;
  }
  if (document.hidden) return null;
  const tile = tileOf(key);
  const el = tile && tile.video;
  if (!el || !el.isConnected || el.offsetParent === null || el.closest('#offstage')) return null;
  if (tile.el.classList.contains('beyond-last-n')) return null; // shown with initials: no video wanted
  observe(el);
  const r = el.getBoundingClientRect();
  const inView = r.right > 0 && r.bottom > 0 && r.left < window.innerWidth && r.top < window.innerHeight;
  return inView ? { width: r.width, height: r.height } : null;
}

function observe(el) {
  if (view.observed.has(el)) return;
  view.observed.add(el);
  if (view.resize) view.resize.observe(el);
  if (view.intersect) view.intersect.observe(el);
}

function measureAndSend() {
  view.timer = null;
  const socketId = store.get().self.socketId;
  if (!media.active || !media.joined || !media.subscribePc || !socketId || !meeting.id) return;
  const tiles = viewOf(store.get().tracks, boxOf, window.devicePixelRatio || 1);
  const key = viewKey(tiles);
  const context = { socketId, pc: media.subscribePc };
  const same = view.lastContext && view.lastContext.socketId === context.socketId && view.lastContext.pc === context.pc;
  if (same && key === view.lastKey) return;
  if (send(out.mediaView(meeting.id, tiles))) {
    view.lastKey = key;
    view.lastContext = context;
    view.lastTiles = tiles;
  }
}

/** Measures again after DEBOUNCE_MS (further changes meanwhile restart the wait, for at most MAX_WAIT_MS). */
export function viewChanged() {
  const now = Date.now();
  if (view.timer) {
    if (now - view.waitingSince >= MAX_WAIT_MS) return; // changing all the time: measure when the wait ends
    clearTimeout(view.timer);
  } else {
    view.waitingSince = now;
  }
  view.timer = setTimeout(measureAndSend, DEBOUNCE_MS);
}

/** Test hook: report this size (device pixels) for a tile whatever its real size; null hides it; clear with unforce. */
export function forceTileSize(socketId, source, width, height) {
  view.forced.set(socketId + '|' + (source || 'camera'), width == null ? null : { width, height });
  viewChanged();
}

export function unforceTileSize(socketId, source) {
  view.forced.delete(socketId + '|' + (source || 'camera'));
  viewChanged();
}

/** The tiles last sent (test hook), or null. */
export function lastTileView() {
  return view.lastTiles;
}

export function initViewSize() {
  if (window.ResizeObserver) view.resize = new ResizeObserver(viewChanged);
  if (window.IntersectionObserver) view.intersect = new IntersectionObserver(viewChanged);
  for (const topic of ['tracks', 'tiles', 'layout', 'view', 'speaker', 'panel', 'connection', 'self']) store.on(topic, viewChanged);
  document.addEventListener('visibilitychange', viewChanged);
  window.addEventListener('resize', viewChanged);
  // a moved tile may not change size, and a new subscribe connection needs the view again: look once a second too
  setInterval(viewChanged, 1000);
}
