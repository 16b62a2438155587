// The tiles: one per remote person (their camera and microphone, or their initials while the camera is off),
// one per shared screen, and your own (mirrored). Each shows the name, a muted-microphone icon, a speaking ring
// and a connection-quality indicator, and has pin and full-screen buttons. stage.js decides where tiles go.
import { icon } from './icons.js';
import { initials } from './layout.js';
import { qualityLabel } from './quality.js';
import { mediaStateOf } from './frames.js';
import { store } from './state.js';

export const SELF = 'self';
const tiles = new Map();      // key -> { key, socketId, source, el, video, name, mutedIcon, quality, avatar, pinBtn, tracks }
const dirty = new Set();
let sinkId = '';
let firstFrame = () => {};
let notice = () => {};

/** Called with nothing when a remote tile first shows a video frame (the latency hook). */
export function onFirstFrame(fn) { firstFrame = fn; }
export function setNotice(fn) { notice = fn; }
export function tileOf(key) { return tiles.get(key) || null; }
export function allTiles() { return Array.from(tiles.values()); }

function button(testid, iconName, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'tile-button';
  b.dataset.testid = testid;
  b.setAttribute('aria-label', label);
  b.title = label;
  b.append(icon(iconName));
  b.addEventListener('click', (ev) => { ev.stopPropagation(); onClick(); });
  return b;
}

function createTile(key, socketId, source) {
  const fig = document.createElement('figure');
  fig.className = 'tile' + (source === 'screen' ? ' screen' : '') + (key === SELF ? ' self' : '');
  fig.dataset.key = key;
  fig.dataset.testid = 'tile';
  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  video.setAttribute('autoplay', '');
  video.setAttribute('playsinline', '');
  if (key === SELF) {
    video.muted = true;
    video.dataset.testid = 'self-view';
  } else {
    fig.dataset.socketId = socketId;
    fig.dataset.source = source;
    video.dataset.socketId = socketId;
    video.dataset.source = source;
  }
  const avatar = document.createElement('div');
  avatar.className = 'avatar';
  avatar.setAttribute('aria-hidden', 'true');
  const caption = document.createElement('figcaption');
  const quality = document.createElement('span');
  quality.className = 'quality';
  quality.dataset.testid = 'tile-quality';
  quality.setAttribute('role', 'img');
  for (let i = 0; i < 3; i++) quality.appendChild(document.createElement('i'));
  const name = document.createElement('span');
  name.className = 'name';
  const mutedIcon = document.createElement('span');
  mutedIcon.className = 'muted-icon';
  mutedIcon.dataset.testid = 'tile-muted';
  mutedIcon.setAttribute('role', 'img');
  mutedIcon.setAttribute('aria-label', 'microphone muted');
  mutedIcon.append(icon('micOff'));
  mutedIcon.hidden = true;
  caption.append(quality, name, mutedIcon);
  const actions = document.createElement('div');
  actions.className = 'tile-actions';
  const tile = { key, socketId, source, el: fig, video, name, mutedIcon, quality, avatar, pinBtn: null, tracks: new Map() };
  tile.pinBtn = button('tile-pin', 'pin', 'Pin', () => store.togglePin(key));
  actions.append(tile.pinBtn, button('tile-fullscreen', 'fullscreen', 'Full screen', () => fullscreen(tile)));
  fig.append(video, avatar, caption, actions);
  fig.addEventListener('dblclick', () => fullscreen(tile));
  if (key !== SELF) watchFirstFrame(video);
  tiles.set(key, tile);
  paint(tile);
  return tile;
}

function fullscreen(tile) {
  if (document.fullscreenElement === tile.el) {
    document.exitFullscreen().catch(() => {});
  } else if (tile.el.requestFullscreen) {
    tile.el.requestFullscreen().catch(() => notice('This browser cannot show that full screen.'));
  }
}

/** Name, initials, muted icon, camera-off, speaking, quality and pin state of one tile, from the store. */
function paint(tile) {
  const s = store.get();
  const self = tile.key === SELF;
  const person = self ? (s.self.name || 'You') : (store.nameOf(tile.socketId) || 'Someone');
  if (!self) tile.video.dataset.participantName = store.nameOf(tile.socketId);
  const label = self ? person + ' (you)' : tile.source === 'screen' ? person + ' (screen)' : person;
  tile.name.textContent = label;
  tile.el.setAttribute('aria-label', label);
  tile.avatar.textContent = initials(person);
  let audioMuted = false;
  let videoOff = false;
  if (self) {
    audioMuted = !(s.local.micOn && s.local.hasMic);
    videoOff = !(s.local.camOn && s.local.hasCam);
  } else if (tile.source === 'camera') {
    const m = mediaStateOf(s.tracks, tile.socketId);
    audioMuted = m.audioMuted;
    // a video track that brings no frames (not sent yet, or stopped arriving) is muted: initials then
    videoOff = m.videoOff || !Array.from(tile.tracks.values()).some((t) => t.kind === 'video' && !t.muted);
  }
  tile.mutedIcon.hidden = !audioMuted || tile.source === 'screen';
  tile.el.classList.toggle('audio-off', audioMuted);
  tile.el.classList.toggle('video-off', videoOff);
  const speaking = !!s.speaker && s.speaker === (self ? s.self.socketId : tile.socketId) && tile.source !== 'screen';
  tile.el.classList.toggle('speaking', speaking);
  tile.video.classList.toggle('speaking', speaking);
  const level = self ? 'hidden' : s.quality.get(tile.socketId) || 'unknown';
  tile.quality.dataset.level = level;
  tile.quality.hidden = self || tile.source === 'screen';
  tile.quality.setAttribute('aria-label', qualityLabel(level));
  tile.quality.title = qualityLabel(level);
  const pinned = s.layout.pinned === tile.key;
  tile.pinBtn.setAttribute('aria-pressed', String(pinned));
  tile.pinBtn.setAttribute('aria-label', (pinned ? 'Unpin ' : 'Pin ') + label);
  tile.pinBtn.title = pinned ? 'Unpin' : 'Pin';
  tile.el.classList.toggle('pinned', pinned);
}

function paintAll() {
  for (const t of tiles.values()) paint(t);
}

function publishKeys() {
  store.setTileKeys(Array.from(tiles.keys()).filter((k) => k !== SELF));
}

function ensureTile(socketId, source) {
  const key = socketId + '|' + source;
  const t = tiles.get(key);
  if (t) return t;
  const created = createTile(key, socketId, source);
  publishKeys();
  return created;
}

function removeTile(tile) {
  tiles.delete(tile.key);
  dirty.delete(tile);
  if (document.fullscreenElement === tile.el) document.exitFullscreen().catch(() => {});
  tile.video.srcObject = null;
  tile.el.remove();
}

// ---- tracks (from subscribe.js)

export function attachTrack(socketId, source, mid, track) {
  const tile = ensureTile(socketId, source);
  if (track.kind === 'video' && !track.rendezvousWatched) {
    track.rendezvousWatched = true;
    const repaint = () => { for (const t of tiles.values()) if (Array.from(t.tracks.values()).includes(track)) paint(t); };
    track.addEventListener('mute', repaint);
    track.addEventListener('unmute', repaint);
  }
  tile.tracks.set(mid, track);
  refreshSoon(tile);
}

export function detachTrack(socketId, source, mid) {
  const tile = tiles.get(socketId + '|' + source);
  if (!tile) return;
  tile.tracks.delete(mid);
  if (tile.tracks.size === 0 && source === 'screen') {
    removeTile(tile);
    publishKeys();
  } else {
    refreshSoon(tile);
  }
}

/** The PCs were closed: no tracks anywhere; screen tiles go, people's tiles stay. */
export function dropRemoteTracks() {
  for (const tile of Array.from(tiles.values())) {
    if (tile.key === SELF) continue;
    tile.tracks.clear();
    if (tile.source === 'screen') removeTile(tile);
    else refreshSoon(tile);
  }
  publishKeys();
}

export function removeSocketTiles(socketId) {
  let changed = false;
  for (const tile of Array.from(tiles.values())) {
    if (tile.socketId === socketId && tile.key !== SELF) {
      removeTile(tile);
      changed = true;
    }
  }
  if (changed) publishKeys();
}

/** Tracks of a tile changed: one new MediaStream per change batch (a fresh srcObject always plays every track). */
function refreshSoon(tile) {
  if (dirty.size === 0) queueMicrotask(flush);
  dirty.add(tile);
}

function flush() {
  const batch = Array.from(dirty);
  dirty.clear();
  for (const tile of batch) {
    if (tiles.get(tile.key) !== tile) continue;
    const list = Array.from(tile.tracks.values());
    tile.video.srcObject = list.length ? new MediaStream(list) : null;
    if (list.length) play(tile);
    paint(tile);
  }
}

function play(tile) {
  if (sinkId && tile.video.setSinkId) tile.video.setSinkId(sinkId).catch(() => {});
  const p = tile.video.play();
  if (p && p.catch) {
    p.catch((e) => {
      if (!e || e.name !== 'NotAllowedError') return;
      // autoplay with sound refused: play muted until the person interacts with the page
      tile.video.muted = true;
      tile.video.play().catch(() => {});
      notice('Click anywhere to hear the others.');
      document.addEventListener('click', () => {
        for (const t of tiles.values()) {
          if (t.key === SELF) continue;
          t.video.muted = false;
          t.video.play().catch(() => {});
        }
      }, { once: true });
    });
  }
}

function watchFirstFrame(video) {
  if (typeof video.requestVideoFrameCallback === 'function') video.requestVideoFrameCallback(() => firstFrame());
  else video.addEventListener('loadeddata', () => firstFrame(), { once: true });
}

/** Plays the others on this loudspeaker (setSinkId); '' is the default. */
export function setSpeakerDevice(id) {
  sinkId = id || '';
  for (const t of tiles.values()) {
    if (t.key !== SELF && t.video.setSinkId) t.video.setSinkId(sinkId).catch(() => {});
  }
}

// ---- your own tile and the people's tiles, from the store

/** Your own tile, showing the local camera (mirrored by the stylesheet). */
export function selfTile() {
  return tiles.get(SELF) || createTile(SELF, null, 'camera');
}

export function showLocal(stream) {
  const t = selfTile();
  const video = stream ? stream.getVideoTracks()[0] : null;
  const current = t.video.srcObject && t.video.srcObject.getVideoTracks()[0];
  if (video !== current) {
    t.video.srcObject = video ? new MediaStream([video]) : null;
    if (video) t.video.play().catch(() => {});
  }
  paint(t);
}

function syncPeople(s) {
  const present = new Set();
  for (const p of s.participants.values()) {
    if (p.socketId === s.self.socketId) continue;
    present.add(p.socketId);
    if (!tiles.has(p.socketId + '|camera')) createTile(p.socketId + '|camera', p.socketId, 'camera');
  }
  for (const tile of Array.from(tiles.values())) {
    if (tile.key !== SELF && tile.source === 'camera' && !present.has(tile.socketId) && tile.tracks.size === 0) {
      removeTile(tile);
    }
  }
  paintAll();
  publishKeys();
}

store.on('participants', syncPeople);
store.on('self', paintAll);
for (const topic of ['tracks', 'speaker', 'quality', 'layout', 'local']) store.on(topic, paintAll);
