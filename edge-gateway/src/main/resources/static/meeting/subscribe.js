// The subscribe PeerConnection: the forwarder offers everyone else's tracks, the page answers and shows exactly
// the tracks the latest offer describes, by mid (docs/protocol.md, steps 5–6). Tracks go to tiles.js; the offer's
// track list (with each track's `muted` flag, which is how other people's mute state reaches this page) goes to
// the store.
import { meeting, send } from './connection.js';
import { iceUfragOf, out, remoteTracks } from './frames.js';
import { enqueue, media, PC_CONFIG, remoteSdp, watchPc } from './media.js';
import { store } from './state.js';
import { attachTrack, detachTrack, dropRemoteTracks, removeSocketTiles } from './tiles.js';

// The subscribe PeerConnections' DTLS certificate, made once per page load while the socket connects. Its
// fingerprint goes with `join` (and `media-subscribe`), so the forwarder can check the browser's certificate
// as soon as the DTLS handshake reaches it instead of waiting for our answer to come through Kafka.
export const subscribeCert = { cert: null, fingerprint: null };
try {
  if (window.RTCPeerConnection && RTCPeerConnection.generateCertificate) {
    RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }).then((cert) => {
      const fp = (cert.getFingerprints ? cert.getFingerprints() : []).find((f) => f.algorithm === 'sha-256');
      subscribeCert.cert = cert;
      subscribeCert.fingerprint = fp ? fp.value.toUpperCase() : null;
    }).catch(() => { /* the forwarder then learns the fingerprint from the answer */ });
  }
} catch (e) { /* no WebRTC: the page says so when media starts */ }

const sub = {
  attached: new Map(),  // subscribe mid -> { socketId, source, track } shown in a tile
  staleUfrags: [],      // ICE ufrags of the forwarder's subscribe connections this page has closed
  gone: new Set(),      // sockets that left: their tracks are not shown again
};

const sourceOf = (info) => (info.source === 'screen' ? 'screen' : 'camera');

function createSubscribePc(gen) {
  const pc = new RTCPeerConnection(subscribeCert.cert
    ? Object.assign({ certificates: [subscribeCert.cert] }, PC_CONFIG) : PC_CONFIG);
  media.subscribePc = pc;
  media.subChain = Promise.resolve();
  watchPc(pc, gen, 'subscribe');
  pc.addEventListener('track', (ev) => {
    if (gen !== media.gen) return;
    const mid = ev.transceiver && ev.transceiver.mid;
    const info = mid == null ? null : store.get().tracks.get(String(mid));
    if (info) attach(String(mid), info, ev.track);
  });
  return pc;
}

/** The forwarder offers the others' tracks: answer it, then show exactly the tracks it now carries. */
export function onMediaOffer(f) {
  if (!media.active || typeof f.sdp !== 'string') return;
  if (sub.staleUfrags.includes(iceUfragOf(f.sdp))) return; // for a subscribe PC already closed
  const gen = media.gen;
  let pc = media.subscribePc;
  if (!pc) {
    try {
      pc = createSubscribePc(gen);
    } catch (e) {
      media.notice('This browser cannot show video (WebRTC is not available).');
      return;
    }
  }
  enqueue('subChain', async () => {
    if (gen !== media.gen || pc !== media.subscribePc) return;
    store.setTracks(remoteTracks(f.tracks)); // before setRemoteDescription: its "track" events look mids up there
    await pc.setRemoteDescription({ type: 'offer', sdp: remoteSdp(f.sdp) });
    if (gen !== media.gen) return;
    const answer = await pc.createAnswer();
    if (gen !== media.gen) return;
    await pc.setLocalDescription(answer);
    if (gen !== media.gen) return;
    send(out.mediaAnswer(meeting.id, pc.localDescription.sdp));
    reconcile();
  });
}

function attach(mid, info, track) {
  if (sub.gone.has(info.socketId)) return;
  const prev = sub.attached.get(mid);
  if (prev && prev.track === track && prev.socketId === info.socketId && prev.source === sourceOf(info)) return;
  if (prev) detach(mid);
  sub.attached.set(mid, { socketId: info.socketId, source: sourceOf(info), track });
  attachTrack(info.socketId, sourceOf(info), mid, track);
}

function detach(mid) {
  const a = sub.attached.get(mid);
  sub.attached.delete(mid);
  if (a) detachTrack(a.socketId, a.source, mid);
}

/** After each subscribe answer: show exactly the active transceivers the latest offer describes. */
function reconcile() {
  const pc = media.subscribePc;
  const tracks = store.get().tracks;
  const live = new Map();
  if (pc) {
    for (const tx of pc.getTransceivers()) {
      const mid = tx.mid == null ? null : String(tx.mid);
      const info = mid == null ? null : tracks.get(mid);
      const dir = tx.currentDirection || tx.direction;
      const active = info && !tx.stopped && (dir === 'recvonly' || dir === 'sendrecv');
      if (active && tx.receiver && tx.receiver.track) live.set(mid, { info, track: tx.receiver.track });
    }
  }
  for (const [mid, a] of Array.from(sub.attached)) {
    const l = live.get(mid);
    if (!l || l.track !== a.track || a.socketId !== l.info.socketId || a.source !== sourceOf(l.info)) detach(mid);
  }
  for (const [mid, l] of live) attach(mid, l.info, l.track);
}

/** media.js closes the PCs: remember the subscribe connection's ICE ufrag so late offers for it are ignored. */
export function closeSubscribe() {
  const pc = media.subscribePc;
  const oldOffer = pc && pc.remoteDescription;
  const oldUfrag = oldOffer ? iceUfragOf(oldOffer.sdp) : null;
  if (oldUfrag) {
    sub.staleUfrags.push(oldUfrag);
    if (sub.staleUfrags.length > 8) sub.staleUfrags.shift();
  }
  if (pc) try { pc.close(); } catch (e) { /* already closed */ }
  media.subscribePc = null;
  media.subChain = Promise.resolve();
}

/** The PCs are gone: no remote tracks (the people's tiles stay, showing their initials). */
export function clearRemoteMedia() {
  sub.attached.clear();
  store.setTracks(new Map());
  dropRemoteTracks();
}

/** A new join: sockets that left before may not come back, but the list starts empty. */
export function resetGone() {
  sub.gone.clear();
}

/** Someone left: their tracks are not shown again, their tiles go at once. */
export function socketLeft(socketId) {
  sub.gone.add(socketId);
  for (const [mid, a] of Array.from(sub.attached)) if (a.socketId === socketId) sub.attached.delete(mid);
  removeSocketTiles(socketId);
}

/** Inbound RTP of the subscribe PC summed per publishing socket (the test hook and the quality indicator). */
export async function inboundStats() {
  const result = {};
  const tracks = store.get().tracks;
  for (const info of tracks.values()) {
    result[info.socketId] = result[info.socketId] || {
      framesDecoded: 0, audioPacketsReceived: 0, videoPacketsReceived: 0, audioLevel: 0,
      packetsReceived: 0, packetsLost: 0, jitter: 0, frameWidth: 0,
    };
  }
  const pc = media.subscribePc;
  if (!pc) return result;
  const byTrackId = new Map();
  for (const tx of pc.getTransceivers()) {
    if (tx.mid != null && tx.receiver && tx.receiver.track) byTrackId.set(tx.receiver.track.id, String(tx.mid));
  }
  const stats = await pc.getStats();
  stats.forEach((r) => {
    if (r.type !== 'inbound-rtp') return;
    const mid = r.mid != null ? String(r.mid) : byTrackId.get(r.trackIdentifier);
    const info = mid == null ? null : tracks.get(mid);
    if (!info) return;
    const s = result[info.socketId];
    const kind = r.kind || r.mediaType;
    s.packetsReceived += r.packetsReceived || 0;
    s.packetsLost += Math.max(0, r.packetsLost || 0);
    s.jitter = Math.max(s.jitter, r.jitter || 0);
    if (kind === 'audio') {
      s.audioPacketsReceived += r.packetsReceived || 0;
      s.audioLevel = Math.max(s.audioLevel, r.audioLevel || 0);
    }
    if (kind === 'video') {
      s.videoPacketsReceived += r.packetsReceived || 0;
      s.framesDecoded += r.framesDecoded || 0;
      s.frameWidth = Math.max(s.frameWidth, r.frameWidth || 0);
    }
  });
  return result;
}
