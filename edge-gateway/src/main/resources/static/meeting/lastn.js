// Last-N: a page shows video of at most N remote tiles (the gateway's `lastN`, in `hello`; 16 by default) and hears
// everyone. Which tiles: the pinned one, shared screens, the active speaker, then the people who spoke most recently,
// then page order. The others keep their tile with the person's initials, and the page reports them hidden in its
// media-view, so the forwarder sends them nothing. In the grid the active speaker enters the page being viewed,
// taking the place of the tile there whose person spoke least recently; other tiles keep their places.
// Pure (no DOM), tested with node --test (edge-gateway/src/test/js/lastn.test.mjs).

export const DEFAULT_LAST_N = 16;
export const MAX_LAST_N = 256;

/** The gateway's value if it is a whole number in 1..MAX_LAST_N, else the default. */
export function lastNOf(value) {
  return Number.isInteger(value) && value >= 1 && value <= MAX_LAST_N ? value : DEFAULT_LAST_N;
}

const socketOf = (key) => key.slice(0, key.lastIndexOf('|'));

/**
 * The keys among `shown` (remote tile keys in page order) that get video: at most `n`.
 * `lastSpoke`: socketId -> a number that grows each time someone becomes the active speaker.
 */
export function withVideo({ shown = [], pinned = null, speaker = null, lastSpoke = new Map(), n = DEFAULT_LAST_N } = {}) {
  const limit = Math.max(0, Math.floor(n));
  const rank = (key) => lastSpoke.get(socketOf(key)) ?? -1;
  const order = shown.map((key, i) => ({ key, i }));
  const first = (k) => (k === pinned ? 0 : k.endsWith('|screen') ? 1 : speaker && k === speaker + '|camera' ? 2 : 3);
  order.sort((a, b) => first(a.key) - first(b.key) || rank(b.key) - rank(a.key) || a.i - b.i);
  return new Set(order.slice(0, limit).map((o) => o.key));
}

/** `cameras` in the order kept so far (`previous`): those still there keep their places, newcomers go last. */
export function keepOrder(previous = [], cameras = []) {
  const now = new Set(cameras);
  const kept = previous.filter((k) => now.has(k));
  const had = new Set(kept);
  return [...kept, ...cameras.filter((k) => !had.has(k))];
}

/**
 * The grid's camera order with the active speaker's tile on page `page` (of `perPage` tiles): when it is on another
 * page it swaps places with the tile on this page whose person spoke least recently (the last such in page order).
 * A new array; `order` is unchanged.
 */
export function speakerIntoPage(order, speakerKey, page, perPage, lastSpoke = new Map()) {
  const at = order.indexOf(speakerKey);
  const size = Math.max(1, Math.floor(perPage) || 1);
  const pages = Math.max(1, Math.ceil(order.length / size));
  const p = Math.min(Math.max(0, Math.floor(Number(page) || 0)), pages - 1);
  const from = p * size;
  const to = Math.min(order.length, from + size);
  if (at < 0 || (at >= from && at < to)) return order.slice();
  let victim = -1;
  let oldest = Infinity;
  for (let i = from; i < to; i++) {
    const r = lastSpoke.get(socketOf(order[i])) ?? -1;
    if (r <= oldest) {
      oldest = r;
      victim = i;
    }
  }
  const next = order.slice();
  [next[at], next[victim]] = [next[victim], next[at]];
  return next;
}
