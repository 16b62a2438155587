// The camera, microphone and screen, and the life of the two PeerConnections (docs/protocol.md, "The life of a
// media connection"): "publish" (publish.js: we offer our sendonly tracks, the forwarder answers) and "subscribe"
// (subscribe.js: the forwarder offers the others' tracks, we answer); closing both and starting over on failure.
// The forwarder is ICE-lite and puts its candidate in its SDP, so no trickle ICE. Every signaling step of a PC
// runs on that PC's promise chain; everything asynchronous checks `media.gen`, which changes whenever the PCs are
// thrown away.
//
// The WebRTC handles live in `media` (shared with publish.js and subscribe.js); what the rest of the page draws from — mic and
// camera on or off, sharing — goes to the store (state.js).
import { meeting, send } from './connection.js';
import { out } from './frames.js';
import { store } from './state.js';
import {
  addPublishTransceiver, cancelAnswerWait, dropPrepared, negotiatePublish, preparePublish, publish, sendMediaState,
} from './publish.js';
import { clearRemoteMedia, closeSubscribe, subscribeCert } from './subscribe.js';

export const PC_CONFIG = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
// Test hook: with ?ice=tcp the page drops every non-TCP candidate from the forwarder's descriptions (as a network
// blocking UDP would leave it), so it can only connect over the forwarder's passive ICE-TCP candidate.
const TCP_ONLY = typeof location !== 'undefined' && new URLSearchParams(location.search).get('ice') === 'tcp';
export function remoteSdp(sdp) {
  return TCP_ONLY ? sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') || / tcp /i.test(l)).join('\r\n') : sdp;
}
const GUM_WAIT_MS = 8000;         // publish without local media if the camera/mic prompt takes longer
const DISCONNECTED_GRACE_MS = 4000;
const MAX_RETRY_MS = 30000;

/** What a camera is asked for: up to 1280×720 (published in three simulcast layers, see publish.js). */
export const CAMERA_SIZE = Object.freeze({ width: { ideal: 1280 }, height: { ideal: 720 } });

export const media = {
  active: false,          // joined (or about to) and not left: media should be running
  joined: false,          // the socket has joined: offers may be sent
  gen: 0,                 // incremented whenever the PCs are closed; stale async work checks it
  localStream: null,      // camera + microphone (null until getUserMedia succeeded); tracks swapped in place
  gumPromise: null,
  gumError: null,         // the getUserMedia failure (NotAllowedError: the person or the browser refused)
  screenStream: null,
  constraints: { audio: true, video: CAMERA_SIZE },
  publishPc: null,
  subscribePc: null,
  pubChain: Promise.resolve(),
  subChain: Promise.resolve(),
  pubTx: [],              // [{ tx, kind, source }] transceivers of the publish PC, not stopped
  prepared: null,         // { pc, txs, stream, ready }: the first publish PC, offered while the join travels
  preparedOffers: 0,      // how many publishes used a prepared offer (the benchmark reads it)
  answerWaiter: null,     // { gen, resolve, timer } while a publish offer waits for its answer
  retryTimer: null,
  retryAttempts: 0,
  stateRetryTimer: null,
  discTimers: {},
  joinStartedAt: null,
  firstRemoteFrameAt: null,
  notice: () => {},       // shows a short notice (main.js sets it)
};

const local = () => store.get().local;

export function localTrack(kind) {
  const s = media.localStream;
  if (!s) return null;
  return (kind === 'audio' ? s.getAudioTracks() : s.getVideoTracks())[0] || null;
}

export function sourceOn(source) {
  if (source === 'microphone') return local().micOn && !!localTrack('audio');
  if (source === 'camera') return local().camOn && !!localTrack('video');
  return !!media.screenStream;
}

function publishLocalState() {
  store.setLocal({ hasMic: !!localTrack('audio'), hasCam: !!localTrack('video'), sharing: !!media.screenStream });
}

// ---- local media

/** Resolves when the camera/mic are there, failed, or took longer than GUM_WAIT_MS (they may still come later). */
export function ensureLocalMedia() {
  if (media.localStream) return Promise.resolve();
  if (!media.gumPromise) {
    const md = navigator.mediaDevices;
    const asked = md && md.getUserMedia
      ? md.getUserMedia(media.constraints)
      : Promise.reject(Object.assign(new Error('this page cannot use a camera here (it needs https or localhost)'),
        { name: 'NotSupportedError' }));
    media.gumPromise = asked.then((stream) => {
      if (!media.active) { // left meanwhile
        stream.getTracks().forEach((t) => t.stop());
        media.gumPromise = null;
        return;
      }
      media.gumError = null;
      media.localStream = stream;
      onLocalMedia();
    }, (e) => {
      media.gumError = e || new Error('not allowed');
      publishLocalState();
    });
  }
  return Promise.race([media.gumPromise, new Promise((r) => setTimeout(r, GUM_WAIT_MS))]);
}

/** The camera and mic arrived: state, and (when we already published without them) the senders. */
function onLocalMedia() {
  const audio = localTrack('audio');
  const video = localTrack('video');
  if (audio) audio.enabled = local().micOn;
  if (video) video.enabled = local().camOn;
  publishLocalState();
  preparePublish(); // not joined yet: the first publish offer is made meanwhile
  if (!media.publishPc) return;
  let changed = false;
  for (const e of media.pubTx) {
    if (e.source === 'screen' || e.tx.sender.track) continue;
    const track = localTrack(e.kind);
    if (!track) continue;
    changed = true;
    try { if (e.tx.sender.setStreams) e.tx.sender.setStreams(media.localStream); } catch (err) { /* optional */ }
    if (sourceOn(e.source)) e.tx.sender.replaceTrack(track).catch(() => {});
  }
  if (changed) sendMediaState();
}

/** Microphone or camera on/off: no packets at all while off (replaceTrack(null)), then `media-state`. */
export async function setSource(source, on) {
  const kind = source === 'microphone' ? 'audio' : 'video';
  store.setLocal(source === 'microphone' ? { micOn: on } : { camOn: on });
  const track = localTrack(kind);
  if (track) track.enabled = on;
  const e = media.pubTx.find((x) => x.source === source);
  if (e && track) {
    try {
      await e.tx.sender.replaceTrack(on ? track : null);
    } catch (err) {
      console.warn('replaceTrack failed', err);
    }
  }
  sendMediaState();
}

/**
 * Another camera or microphone during the call: a new track from that device replaces the old one in the local
 * stream and on the publish sender (replaceTrack: no renegotiation). Resolves to true when switched.
 */
export async function switchDevice(kind, deviceId) {
  const md = navigator.mediaDevices;
  if (!md || !md.getUserMedia || !deviceId) return false;
  const base = kind === 'audio' ? {} : CAMERA_SIZE;
  const c = Object.assign({}, base, { deviceId: { exact: deviceId } });
  media.constraints = Object.assign({}, media.constraints, { [kind]: c });
  if (!media.localStream) {
    if (!media.active) return false;
    media.gumPromise = null;
    await ensureLocalMedia();
    return !!media.localStream;
  }
  const old = localTrack(kind);
  if (old && old.getSettings && old.getSettings().deviceId === deviceId) return true;
  let stream;
  try {
    stream = await md.getUserMedia({ [kind]: c });
  } catch (e) {
    media.notice('Cannot use that device: ' + (e.message || e.name));
    return false;
  }
  const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0];
  if (!track || !media.localStream) {
    stream.getTracks().forEach((t) => t.stop());
    return false;
  }
  track.enabled = kind === 'audio' ? local().micOn : local().camOn;
  if (old) {
    media.localStream.removeTrack(old);
    old.stop();
  }
  media.localStream.addTrack(track);
  dropPrepared();
  preparePublish();
  const source = kind === 'audio' ? 'microphone' : 'camera';
  const e = media.pubTx.find((x) => x.source === source);
  if (e && sourceOn(source)) {
    try { await e.tx.sender.replaceTrack(track); } catch (err) { console.warn('replaceTrack failed', err); }
  }
  publishLocalState();
  store.setLocal({}); // redraw the self view with the new track
  return true;
}

export async function toggleScreen() {
  if (media.screenStream) {
    stopScreen();
    return;
  }
  if (!media.active) return;
  let stream;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch (e) {
    if (e && e.name !== 'NotAllowedError' && e.name !== 'AbortError') {
      media.notice('Cannot share the screen: ' + (e.message || e.name));
    }
    return;
  }
  const track = stream.getVideoTracks()[0];
  if (!track || !media.active || media.screenStream) {
    stream.getTracks().forEach((t) => t.stop());
    return;
  }
  media.screenStream = stream;
  // the browser's own "Stop sharing" button ends the track
  track.addEventListener('ended', () => { if (media.screenStream === stream) stopScreen(); });
  publishLocalState();
  const pc = media.publishPc;
  if (pc) {
    addPublishTransceiver(pc, 'video', 'screen', track, stream);
    const gen = media.gen;
    enqueue('pubChain', () => negotiatePublish(gen, pc));
  }
}

function stopScreen() {
  const stream = media.screenStream;
  media.screenStream = null;
  if (stream) stream.getTracks().forEach((t) => t.stop());
  const e = media.pubTx.find((x) => x.source === 'screen');
  const pc = media.publishPc;
  if (e) {
    media.pubTx = media.pubTx.filter((x) => x !== e);
    try { e.tx.stop(); } catch (err) { /* closed PC */ }
    if (pc) {
      const gen = media.gen;
      enqueue('pubChain', () => negotiatePublish(gen, pc));
    }
  }
  publishLocalState();
}

export function enqueue(chain, step) {
  const next = media[chain].then(step).catch((e) => {
    console.warn('media ' + chain + ' step failed', e);
    if (media.active) {
      media.notice('The video connection had a problem; reconnecting…');
      scheduleRepublish(1000);
    }
  });
  media[chain] = next;
  return next;
}

export function watchPc(pc, gen, label) {
  pc.addEventListener('connectionstatechange', () => {
    if (gen !== media.gen) return;
    const s = pc.connectionState;
    clearTimeout(media.discTimers[label]);
    if (s === 'connected') {
      if (label === 'publish') media.retryAttempts = 0;
    } else if (s === 'failed') {
      media.notice('The video connection was lost; reconnecting…');
      scheduleRepublish(0);
    } else if (s === 'disconnected') {
      media.discTimers[label] = setTimeout(() => {
        if (gen === media.gen && pc.connectionState === 'disconnected') {
          media.notice('The video connection was lost; reconnecting…');
          scheduleRepublish(0);
        }
      }, DISCONNECTED_GRACE_MS);
    }
  });
}

/** Throws both PCs away (the remote tracks go with them); local tracks are kept. */
function closePcs() {
  media.gen++;
  closeSubscribe();
  cancelAnswerWait();
  for (const k of Object.keys(media.discTimers)) clearTimeout(media.discTimers[k]);
  if (media.publishPc) try { media.publishPc.close(); } catch (e) { /* already closed */ }
  media.publishPc = null;
  media.pubTx = [];
  media.pubChain = Promise.resolve();
  clearRemoteMedia();
}

/** Close both PCs, ask for a new subscribe offer and publish again after a bounded, growing delay. */
export function scheduleRepublish(minDelayMs) {
  if (!media.active || media.retryTimer) return;
  const backoff = media.retryAttempts === 0 ? 0 : Math.min(MAX_RETRY_MS, 1000 * Math.pow(2, media.retryAttempts));
  const delay = Math.max(minDelayMs || 0, backoff) * (0.8 + Math.random() * 0.4);
  media.retryAttempts++;
  cancelAnswerWait();
  media.retryTimer = setTimeout(() => {
    media.retryTimer = null;
    if (!media.active || !media.joined) return; // the next "joined" restarts media
    closePcs();
    // both PCs are new: ask for a fresh subscribe offer (after a join the forwarder sends one by itself)
    send(out.mediaSubscribe(meeting.id, subscribeCert.fingerprint));
    publish();
  }, delay);
}

/**
 * `media-moved`: the room's media went to another forwarder (the old one died or drains). Both PCs are thrown away at
 * once (no waiting for ICE to fail) and started over through the normal signaling — a fresh subscribe offer asked
 * for, a new publish offer — which stream-apps now routes to the new forwarder. Local tracks, chat and membership
 * stay; no reload. Returns false when media is not running (the next "joined" starts it anyway).
 */
export function mediaMoved() {
  if (!media.active || !media.joined) return false;
  clearTimeout(media.retryTimer);
  media.retryTimer = null;
  media.retryAttempts = 0;
  closePcs();
  send(out.mediaSubscribe(meeting.id, subscribeCert.fingerprint));
  publish();
  return true;
}

/** The camera preview before joining (the pre-join screen), and the start of joining: media should run. */
export function activate() {
  media.active = true;
  return ensureLocalMedia();
}

/** After "joined" (first join or a re-join on a new socket): fresh PCs. */
export async function startMedia() {
  media.active = true;
  media.joined = true;
  clearTimeout(media.retryTimer);
  media.retryTimer = null;
  media.retryAttempts = 0;
  closePcs();
  publishLocalState();
  const gen = media.gen;
  await ensureLocalMedia();
  if (gen !== media.gen || !media.active) return;
  publish();
}

/** The socket dropped: offers wait for the next "joined". */
export function socketLost() {
  media.joined = false;
}

/** Voluntary leave, or the meeting is gone: everything off, camera light included. */
export function stopMedia() {
  media.active = false;
  media.joined = false;
  clearTimeout(media.retryTimer);
  media.retryTimer = null;
  clearTimeout(media.stateRetryTimer);
  closePcs();
  if (media.screenStream) media.screenStream.getTracks().forEach((t) => t.stop());
  media.screenStream = null;
  if (media.localStream) media.localStream.getTracks().forEach((t) => t.stop());
  media.localStream = null;
  media.gumPromise = null;
  dropPrepared();
  publishLocalState();
}

export function onMediaError(f) {
  switch (f.error) {
    case 'not_joined':
      return; // sent between a socket loss and the re-join; "joined" restarts media
    case 'rate_limited':
      if (f.ref === 'media') {
        clearTimeout(media.stateRetryTimer);
        media.stateRetryTimer = setTimeout(sendMediaState, 1000);
      } else {
        scheduleRepublish(1000);
      }
      return;
    case 'media_unavailable':
    case 'unavailable':
      media.notice('Video is not available right now; retrying…');
      if (f.ref !== 'media') scheduleRepublish(3000);
      return;
    case 'invalid_message':
    case 'bad_frame':
      media.notice('Video: ' + (f.message || f.error));
      if (f.ref === 'publish') cancelAnswerWait();
      return;
    default:
      media.notice('Video: ' + (f.message || f.error));
      if (f.ref === 'publish' || f.ref === 'subscribe') scheduleRepublish(3000);
  }
}
