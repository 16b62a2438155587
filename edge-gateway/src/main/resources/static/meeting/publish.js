// The publish PeerConnection: our microphone, camera and screen as sendonly tracks, offered to the forwarder
// (docs/protocol.md, steps 1–4 and 7), including the first offer prepared while the join travels. Split from
// media.js, which owns the handles (`media`) and the local devices.
import { meeting, send } from './connection.js';
import { out } from './frames.js';
import { enqueue, localTrack, media, PC_CONFIG, remoteSdp, scheduleRepublish, sourceOn, watchPc } from './media.js';

const ANSWER_TIMEOUT_MS = 15000;  // no media-answer by then: start over (bounded backoff)

/** Our own tracks as the forwarder must know them (mids are known once the offer is set locally). */
export function publishTracks() {
  const list = [];
  for (const e of media.pubTx) {
    const mid = e.tx.mid;
    if (mid == null || e.tx.direction === 'stopped') continue;
    list.push({ mid: String(mid), kind: e.kind, source: e.source, muted: !sourceOn(e.source) });
  }
  return list;
}

export function sendMediaState() {
  const pc = media.publishPc;
  if (!pc) return;
  const gen = media.gen;
  // after any negotiation in flight, so the forwarder already knows the mids
  enqueue('pubChain', async () => {
    if (gen !== media.gen || !media.joined) return;
    const tracks = publishTracks();
    if (tracks.length) send(out.mediaState(meeting.id, tracks));
  });
}

// ---- the publish PeerConnection


/**
 * The camera's simulcast layers, lowest first (the forwarder takes this order as low to high): a quarter, half
 * and the full size (up to 1280×720), each capped in bitrate. A screen share stays one stream.
 */
export const CAMERA_LAYERS = Object.freeze([
  Object.freeze({ rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000 }),
  Object.freeze({ rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000 }),
  Object.freeze({ rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1500000 }),
]);

/**
 * The layers a camera of this width can fill: all three from 960 px, the half and full ones from 480 px (a
 * quarter would be smaller than 120 px), none below (one stream). Unknown width: all three.
 */
export function cameraLayers(width) {
  if (!(width > 0) || width >= 960) return CAMERA_LAYERS;
  if (width >= 480) return CAMERA_LAYERS.slice(1);
  return [];
}

/**
 * A sendonly transceiver; the camera's with its simulcast layers where the camera and the browser allow (one
 * stream where the picture is small or the browser refuses sendEncodings with rids).
 */
function sendTransceiver(pc, trackOrKind, source, streams) {
  const init = { direction: 'sendonly', streams };
  const settings = typeof trackOrKind === 'object' && trackOrKind.getSettings ? trackOrKind.getSettings() : {};
  const layers = source === 'camera' ? cameraLayers(settings.width) : [];
  if (layers.length > 1) {
    try {
      return pc.addTransceiver(trackOrKind, Object.assign({ sendEncodings: layers.map((l) => ({ ...l })) }, init));
    } catch (e) {
      // no simulcast in this browser: one stream
    }
  }
  return pc.addTransceiver(trackOrKind, init);
}

export function addPublishTransceiver(pc, kind, source, track, stream) {
  const tx = sendTransceiver(pc, track || kind, source, stream ? [stream] : []);
  if (track && !sourceOn(source)) tx.sender.replaceTrack(null).catch(() => {}); // muted before a restart
  media.pubTx.push({ tx, kind, source });
  return tx;
}

/** A new publish PC with our tracks (trackless m-lines when there is no camera/mic: we still get the others). */
export function publish() {
  if (!media.active || !media.joined) return;
  const gen = media.gen;
  const prepared = takePrepared();
  let pc = prepared ? prepared.pc : null;
  if (!pc) {
    try {
      pc = new RTCPeerConnection(PC_CONFIG);
    } catch (e) {
      media.notice('This browser cannot show video (WebRTC is not available).');
      return;
    }
  }
  media.publishPc = pc;
  media.pubChain = Promise.resolve();
  media.pubTx = prepared ? prepared.txs : [];
  watchPc(pc, gen, 'publish');
  if (prepared) {
    enqueue('pubChain', () => prepared.ready.then(() => negotiatePublish(gen, pc)));
    return;
  }
  const s = media.localStream;
  addPublishTransceiver(pc, 'audio', 'microphone', localTrack('audio'), s);
  addPublishTransceiver(pc, 'video', 'camera', localTrack('video'), s);
  if (media.screenStream) {
    addPublishTransceiver(pc, 'video', 'screen', media.screenStream.getVideoTracks()[0], media.screenStream);
  }
  enqueue('pubChain', () => negotiatePublish(gen, pc));
}

/**
 * The first publish connection, made with its offer while the join travels (Chromium takes 50–100 ms for
 * createOffer and setLocalDescription, a step of every meeting start). Only while nothing it depends on has
 * changed: the same camera and microphone, both on, no screen share.
 */
export function preparePublish() {
  if (media.prepared || media.joined || !media.localStream || media.screenStream) return;
  if (!sourceOn('microphone') || !sourceOn('camera') || typeof RTCPeerConnection === 'undefined') return;
  let pc;
  try {
    pc = new RTCPeerConnection(PC_CONFIG);
  } catch (e) {
    return;
  }
  const s = media.localStream;
  const txs = [];
  for (const [kind, source] of [['audio', 'microphone'], ['video', 'camera']]) {
    txs.push({ tx: sendTransceiver(pc, localTrack(kind), source, [s]), kind, source });
  }
  const ready = pc.createOffer().then((o) => pc.setLocalDescription(o)).then(() => true, () => false);
  media.prepared = { pc, txs, stream: s, audio: localTrack('audio'), video: localTrack('video'), ready };
}

/** The prepared connection if it still fits, else null (and it is closed). Taken once. */
export function takePrepared() {
  const p = media.prepared;
  media.prepared = null;
  if (!p) return null;
  const fits = p.stream === media.localStream && p.audio === localTrack('audio') && p.video === localTrack('video')
    && !media.screenStream && sourceOn('microphone') && sourceOn('camera') && p.pc.signalingState !== 'closed';
  if (fits) {
    media.preparedOffers += 1;
    return p;
  }
  try { p.pc.close(); } catch (e) { /* closed */ }
  return null;
}

export function dropPrepared() {
  const p = media.prepared;
  media.prepared = null;
  if (p) try { p.pc.close(); } catch (e) { /* closed */ }
}

/** offer → setLocalDescription → media-offer → (media-answer) → setRemoteDescription. */
export async function negotiatePublish(gen, pc) {
  if (gen !== media.gen || pc !== media.publishPc || pc.signalingState === 'closed') return;
  if (!(pc.signalingState === 'have-local-offer' && pc.localDescription)) { // a prepared offer is there already
    const offer = await pc.createOffer();
    if (gen !== media.gen) return;
    await pc.setLocalDescription(offer);
    if (gen !== media.gen) return;
  }
  const answer = waitForAnswer(gen);
  if (!send(out.mediaOffer(meeting.id, pc.localDescription.sdp, publishTracks()))) {
    cancelAnswerWait();
    return; // the socket is down; the next "joined" starts media again
  }
  const sdp = await answer;
  if (sdp == null || gen !== media.gen || pc.signalingState !== 'have-local-offer') return;
  await pc.setRemoteDescription({ type: 'answer', sdp: remoteSdp(sdp) });
}

function waitForAnswer(gen) {
  cancelAnswerWait();
  return new Promise((resolve) => {
    const w = { gen, resolve, timer: null };
    w.timer = setTimeout(() => {
      if (media.answerWaiter !== w) return;
      media.answerWaiter = null;
      resolve(null);
      if (gen === media.gen) {
        media.notice('The video service does not answer; retrying…');
        scheduleRepublish(2000);
      }
    }, ANSWER_TIMEOUT_MS);
    media.answerWaiter = w;
  });
}

export function cancelAnswerWait() {
  const w = media.answerWaiter;
  media.answerWaiter = null;
  if (w) {
    clearTimeout(w.timer);
    w.resolve(null);
  }
}

export function onMediaAnswer(f) {
  const w = media.answerWaiter;
  if (!w || w.gen !== media.gen || typeof f.sdp !== 'string') return; // stale or unexpected: ignore
  media.answerWaiter = null;
  clearTimeout(w.timer);
  w.resolve(f.sdp);
}

