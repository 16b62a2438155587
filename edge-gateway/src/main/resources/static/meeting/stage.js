// Puts the tiles where layout.js says: the focus (pinned tile, shared screen or speaker), the filmstrip, the
// paged grid with its pager, and your own picture-in-picture tile. Tile elements are moved, never re-created, so
// their videos keep playing; tiles of other grid pages wait in a hidden holder (still in the document).
import { arrange, fitGrid, isPhone, maxColumns, perPage } from './layout.js';
import { keepOrder, speakerIntoPage, withVideo } from './lastn.js';
import { store } from './state.js';
import { SELF, selfTile, tileOf } from './tiles.js';

const $ = (id) => document.getElementById(id);
const ASPECT = 16 / 9; // the cameras are asked for 1280×720
const GAP = 8;
let scheduled = false;
/** The grid's camera order: kept between layouts, so that only the active speaker's arrival moves a tile (last-N). */
let cameraOrder = [];

function place(keys, container) {
  keys.forEach((key, i) => {
    const tile = key === SELF ? selfTile() : tileOf(key);
    if (!tile) return;
    if (container.children[i] !== tile.el) container.insertBefore(tile.el, container.children[i] || null);
  });
}

function layout() {
  scheduled = false;
  const stage = $('stage');
  if (!stage || stage.offsetParent === null) return; // not shown yet
  const s = store.get();
  const phone = isPhone(window.innerWidth);
  const screens = s.tileKeys.filter((k) => k.endsWith('|screen'));
  const size = perPage(stage.clientWidth, stage.clientHeight);
  const speakerKey = s.speaker ? s.speaker + '|camera' : null;
  cameraOrder = keepOrder(cameraOrder, s.tileKeys.filter((k) => k.endsWith('|camera')));
  if (speakerKey && s.layout.mode === 'grid') cameraOrder = speakerIntoPage(cameraOrder, speakerKey, s.layout.page, size, s.lastSpoke);
  const cameras = cameraOrder;
  const a = arrange({
    cameras, screens, self: SELF, mode: s.layout.mode, pinned: s.layout.pinned,
    speaker: speakerKey, page: s.layout.page, perPage: size,
  });
  stage.dataset.layout = a.focus ? 'focus' : 'grid';
  stage.dataset.count = String(a.grid.length);
  const holder = $('offstage');
  const shown = new Set([a.focus, ...a.strip, ...a.grid, a.pip].filter(Boolean));
  for (const key of [SELF, ...s.tileKeys]) {
    const tile = key === SELF ? selfTile() : tileOf(key);
    if (tile && !shown.has(key) && tile.el.parentElement !== holder) holder.appendChild(tile.el);
  }
  // last-N: the shown remote tiles beyond it keep their place with initials, and get no video (viewsize.js)
  const remote = [a.focus, ...a.strip, ...a.grid].filter((k) => k && k !== SELF);
  const video = withVideo({ shown: remote, pinned: s.layout.pinned, speaker: s.speaker, lastSpoke: s.lastSpoke, n: s.lastN });
  for (const key of s.tileKeys) {
    const tile = tileOf(key);
    if (tile) tile.el.classList.toggle('beyond-last-n', shown.has(key) && !video.has(key));
  }
  stage.dataset.videoTiles = String(video.size);
  place(a.focus ? [a.focus] : [], $('focus'));
  place(a.strip, $('strip'));
  place(a.grid, $('grid'));
  place(a.pip ? [a.pip] : [], $('pip'));
  $('pip').hidden = !a.pip;
  const grid = $('grid');
  if (!a.focus) {
    const g = fitGrid(a.grid.length, grid.clientWidth, grid.clientHeight,
      { aspect: ASPECT, gap: GAP, maxCols: maxColumns(window.innerWidth) });
    grid.style.setProperty('--cols', String(g.cols));
    grid.style.setProperty('--tile-w', g.tileWidth + 'px');
    grid.style.setProperty('--tile-h', g.tileHeight + 'px');
  }
  const pager = $('pager');
  pager.hidden = a.pages <= 1;
  $('page-label').textContent = 'Page ' + (a.page + 1) + ' of ' + a.pages;
  $('page-prev').disabled = a.page === 0;
  $('page-next').disabled = a.page >= a.pages - 1;
  stage.dataset.page = String(a.page);
  stage.classList.toggle('phone', phone);
}

/** Lays the stage out again before the next frame (coalesced). */
export function relayout() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(layout);
}

export function initStage() {
  for (const topic of ['tiles', 'layout', 'speaker', 'panel', 'view']) store.on(topic, relayout);
  if (window.ResizeObserver) new ResizeObserver(relayout).observe($('stage'));
  window.addEventListener('resize', relayout);
  $('page-prev').addEventListener('click', () => store.setPage(store.get().layout.page - 1));
  $('page-next').addEventListener('click', () => store.setPage(store.get().layout.page + 1));
  selfTile();
  relayout();
}
