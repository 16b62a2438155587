// The WebSocket frames of docs/protocol.md: parsed and checked once here, built here. Pure (no DOM, no socket), so
// node --test covers it (edge-gateway/src/test/js/frames.test.mjs). Bad input gives null or an empty result, never
// an exception: a frame the page does not understand is dropped.

const str = (v) => (typeof v === 'string' && v.length > 0 ? v : null);

/** The frame in a WebSocket message, or null when it is not a JSON object with a string `type`. */
export function parseFrame(text) {
  if (typeof text !== 'string') return null;
  let f;
  try {
    f = JSON.parse(text);
  } catch (e) {
    return null;
  }
  if (!f || typeof f !== 'object' || Array.isArray(f) || !str(f.type)) return null;
  return f;
}

/** Whether a frame is about this meeting (frames of other meetings are ignored). */
export function forMeeting(f, meetingId) {
  return !!f && f.meetingId === meetingId;
}

/** A participant as the page keeps it, or null when the entry is unusable. */
export function participantOf(p) {
  if (!p || typeof p !== 'object' || !str(p.socketId)) return null;
  const role = typeof p.role === 'string' ? p.role.toLowerCase() : 'participant';
  return {
    socketId: p.socketId,
    participantId: typeof p.participantId === 'string' ? p.participantId : '',
    displayName: typeof p.displayName === 'string' && p.displayName.trim() ? p.displayName : 'Someone',
    role: ['host', 'cohost', 'participant', 'guest'].includes(role) ? role : 'participant',
  };
}

/** The participants of a `joined` frame (theirs and ours), without unusable entries or repeats. */
export function participantsOfJoined(f) {
  const out = new Map();
  const list = Array.isArray(f && f.participants) ? f.participants.slice() : [];
  if (f && f.you) list.push(f.you);
  for (const raw of list) {
    const p = participantOf(raw);
    if (p && !out.has(p.socketId)) out.set(p.socketId, p);
  }
  return Array.from(out.values());
}

/** The remote tracks of a subscribe `media-offer`: mid -> { socketId, participantId, kind, source, muted }. */
export function remoteTracks(list) {
  const out = new Map();
  if (!Array.isArray(list)) return out;
  for (const t of list) {
    if (!t || typeof t !== 'object' || t.mid == null || !str(t.socketId)) continue;
    const kind = t.kind === 'audio' ? 'audio' : t.kind === 'video' ? 'video' : null;
    if (!kind) continue;
    out.set(String(t.mid), {
      socketId: t.socketId,
      participantId: typeof t.participantId === 'string' ? t.participantId : '',
      kind,
      source: t.source === 'screen' ? 'screen' : kind === 'audio' ? 'microphone' : 'camera',
      muted: t.muted === true,
    });
  }
  return out;
}

/**
 * What the latest subscribe offer says about one person's microphone and camera: `audioMuted` / `videoOff` are
 * true when a track of that kind is listed and every listed one is muted, or when the person has tracks but none
 * of that kind; false while nothing is known (no tracks listed yet).
 */
export function mediaStateOf(tracks, socketId) {
  let any = false;
  let audio = null;
  let video = null;
  for (const t of tracks.values()) {
    if (t.socketId !== socketId || t.source === 'screen') continue;
    any = true;
    if (t.kind === 'audio') audio = audio || !t.muted;
    if (t.kind === 'video') video = video || !t.muted;
  }
  return { audioMuted: any && !audio, videoOff: any && !video };
}

/** The ICE username fragment of an SDP (to recognise offers for a connection already closed), or null. */
export function iceUfragOf(sdp) {
  const m = /^a=ice-ufrag:(\S+)/m.exec(typeof sdp === 'string' ? sdp : '');
  return m ? m[1] : null;
}

/** The claims of a JWT (not verified: the server does that), or null. */
export function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(part);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const c = JSON.parse(new TextDecoder().decode(bytes));
    return c && typeof c === 'object' ? c : null;
  } catch (e) {
    return null;
  }
}

/** The claims of a token the page may use for this meeting now, or null (expired, or a guest token of another). */
export function usableClaims(token, meetingId, now = Date.now()) {
  const c = token ? claims(token) : null;
  if (!c || typeof c.exp !== 'number' || c.exp * 1000 < now + 5000) return null;
  if (c.kind === 'guest' && c.mid !== meetingId) return null;
  return c;
}

/**
 * The token to go on with after a `token` frame (docs/protocol.md): the renewed one when it may be used for this
 * meeting and names the same bearer and session as the current one (its `sid` is the current token's session, which
 * is the current token's own `jti` when it has no `sid`); null otherwise (the frame is ignored).
 */
export function renewedToken(current, fresh, meetingId, now = Date.now()) {
  const c = current ? claims(current) : null;
  const n = typeof fresh === 'string' ? usableClaims(fresh, meetingId, now) : null;
  if (!c || !n || n.sub !== c.sub || !n.sid || n.sid !== (c.sid || c.jti)) return null;
  return fresh;
}

/**
 * Whether a renewed token should replace the stored one (the login the home page keeps): only a token of the same
 * session (a later login, or none, is left alone) that lasts longer.
 */
export function replacesStored(stored, fresh) {
  const s = stored ? claims(stored) : null;
  const n = fresh ? claims(fresh) : null;
  if (!s || !n || !n.sid || n.sid !== (s.sid || s.jti) || typeof n.exp !== 'number') return false;
  return typeof s.exp !== 'number' || n.exp > s.exp;
}

/** Outgoing frames. */
export const out = {
  join: (meetingId, token, fingerprint, replaces) => ({
    type: 'join', meetingId, token, fingerprint: fingerprint || undefined, replaces: replaces || undefined,
  }),
  leave: (meetingId) => ({ type: 'leave', meetingId }),
  ping: () => ({ type: 'ping' }),
  chat: (meetingId, clientMsgId, text) => ({ type: 'chat', meetingId, clientMsgId, text }),
  mediaOffer: (meetingId, sdp, tracks) => ({ type: 'media-offer', meetingId, sdp, tracks }),
  mediaAnswer: (meetingId, sdp) => ({ type: 'media-answer', meetingId, sdp }),
  mediaState: (meetingId, tracks) => ({ type: 'media-state', meetingId, tracks }),
  mediaSubscribe: (meetingId, fingerprint) => ({ type: 'media-subscribe', meetingId, fingerprint: fingerprint || undefined }),
  /** How the page shows the remote video tracks (tileview.js): [{ socketId, source, width, height } | { socketId, source, hidden }]. */
  mediaView: (meetingId, tiles) => ({ type: 'media-view', meetingId, tiles }),
  /** The stats overlay opened (repeated while open) or closed: the forwarder's media-stats come while on. */
  mediaStats: (meetingId, on) => ({ type: 'media-stats', meetingId, on: on === true }),
  /** A host control (docs/protocol.md, "Host controls"); fields: participantId, audio, video, allowUnmute. */
  hostAction: (meetingId, action, fields, requestId) =>
    Object.assign({ type: 'host-action', meetingId, action }, fields || {}, { requestId }),
  raiseHand: (meetingId, requestId) => ({ type: 'raise-hand', meetingId, requestId }),
  lowerHand: (meetingId, participantId, requestId) => ({ type: 'lower-hand', meetingId, participantId: participantId || undefined, requestId }),
  reaction: (meetingId, reaction, requestId) => ({ type: 'reaction', meetingId, reaction, requestId }),
};

/** A chat message from a `chat` frame or the history endpoint, or null when it has no usable seq or text. */
export function chatMessageOf(m) {
  if (!m || typeof m !== 'object' || !Number.isFinite(Number(m.seq)) || typeof m.text !== 'string') return null;
  const from = m.from && typeof m.from === 'object' ? m.from.displayName : m.from;
  const fromId = m.from && typeof m.from === 'object' ? m.from.participantId : m.fromId;
  return {
    seq: Number(m.seq),
    clientMsgId: typeof m.clientMsgId === 'string' ? m.clientMsgId : null,
    fromId: typeof fromId === 'string' ? fromId : '',
    from: typeof from === 'string' && from ? from : 'someone',
    text: m.text,
    sentAt: typeof m.sentAt === 'string' ? m.sentAt : null,
  };
}

/**
 * A `participant-media` frame (someone muted or unmuted their own tracks) applied to the latest subscribe offer's
 * tracks: that person's tracks of each listed source take its `muted` flag. Returns a new Map when something
 * changed, else the same one; a malformed frame changes nothing.
 */
export function applyParticipantMedia(tracks, f) {
  if (!f || typeof f.socketId !== 'string' || !Array.isArray(f.tracks)) return tracks;
  const bySource = new Map();
  for (const t of f.tracks) {
    if (t && typeof t.source === 'string' && typeof t.muted === 'boolean') bySource.set(t.source, t.muted);
  }
  let next = null;
  for (const [mid, t] of tracks) {
    if (t.socketId !== f.socketId || !bySource.has(t.source) || bySource.get(t.source) === t.muted) continue;
    next = next || new Map(tracks);
    next.set(mid, Object.assign({}, t, { muted: bySource.get(t.source) }));
  }
  return next || tracks;
}
