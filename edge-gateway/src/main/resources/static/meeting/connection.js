// The WebSocket to the gateway (docs/protocol.md): join with a token, reconnect with backoff and join again on a
// new socket (naming the socket it replaces, so the room swaps it out at once), keep-alive pings. The gateway renews
// the token while the page is in the meeting (`token` frames): the renewed one is used from then on, and replaces the
// stored login token it came from (the home page in another tab goes on with it). Frames are parsed
// once (frames.js) and handed to the handlers registered with onFrame(type, fn); frames of other meetings never
// reach them.
import { out, parseFrame, renewedToken, replacesStored, usableClaims } from './frames.js';
import { store } from './state.js';

export const TOKEN_KEY = 'rendezvous.token';

export const meeting = {
  id: document.body.dataset.meetingId,
  code: document.body.dataset.meetingCode,
  title: document.body.dataset.meetingTitle,
};

const handlers = new Map();
const session = {
  token: null,          // the token used to join (user or guest)
  tokenKind: null,      // 'user' | 'guest'
  tokenFromUser: false, // came from localStorage or ?token= (not obtained here)
  name: null,
  ws: null,
  socketId: null,       // this socket's id and gateway (from hello)
  gatewayId: null,
  lastSocketId: null,   // the socket that was last joined: a re-join on a new socket replaces it
  joined: false,
  stopped: true,        // left on purpose or fatal: no reconnect
  attempts: 0,
  reconnectTimer: null,
  pingTimer: null,
  fingerprint: () => null,
};

export function onFrame(type, fn) {
  handlers.set(type, fn);
}

export const connection = {
  get joined() { return session.joined; },
  get token() { return session.token; },
  get tokenKind() { return session.tokenKind; },
  get name() { return session.name; },
  /** The gateway the current socket is on (hello's gatewayId). */
  get gatewayId() { return session.gatewayId; },
  /** The fingerprint sent with `join` (the subscribe certificate's; media.js provides it). */
  set fingerprint(fn) { session.fingerprint = fn; },
  /** The join completed; true when it was a re-join on a new socket (the connection had broken). */
  markJoined() {
    const rejoined = session.lastSocketId != null && session.lastSocketId !== session.socketId;
    session.joined = true;
    session.lastSocketId = session.socketId;
    session.attempts = 0;
    return rejoined;
  },
};

/** A user token from ?token= or the page's storage, when one fits this meeting. */
export function pickInitialToken(params) {
  const given = params.get('token');
  const gc = given && usableClaims(given, meeting.id);
  if (gc) {
    Object.assign(session, { token: given, tokenKind: gc.kind === 'guest' ? 'guest' : 'user', tokenFromUser: true, name: gc.name });
    return;
  }
  let stored = null;
  try { stored = localStorage.getItem(TOKEN_KEY); } catch (e) { /* storage off */ }
  const sc = stored && usableClaims(stored, meeting.id);
  if (sc && sc.kind === 'user') {
    Object.assign(session, { token: stored, tokenKind: 'user', tokenFromUser: true, name: sc.name });
  }
}

/** Forget a token the server refused (and the stored one, when it was that). */
export function dropToken() {
  try {
    if (session.tokenFromUser && localStorage.getItem(TOKEN_KEY) === session.token) localStorage.removeItem(TOKEN_KEY);
  } catch (e) { /* storage off */ }
  Object.assign(session, { token: null, tokenKind: null, tokenFromUser: false });
}

/** Goes on with a renewed token (a `token` frame) when it is one of this bearer's session. */
function adoptToken(fresh) {
  const next = renewedToken(session.token, fresh, meeting.id);
  if (!next) return;
  try {
    // the stored login, if it is this session's (the home page may have renewed it too; the later one stays)
    if (session.tokenFromUser && replacesStored(localStorage.getItem(TOKEN_KEY), next)) localStorage.setItem(TOKEN_KEY, next);
  } catch (e) { /* storage off */ }
  session.token = next;
}

async function guestToken(name) {
  const res = await fetch('/api/v1/meetings/' + encodeURIComponent(meeting.code) + '/guest', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName: name }),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(data.message || ('HTTP ' + res.status));
    err.status = res.status;
    throw err;
  }
  return data.token;
}

/** Gets a token when needed (a guest token for `name`) and opens the socket; throws when no token can be had. */
export async function start(name) {
  if (!session.token) {
    session.token = await guestToken(name);
    session.tokenKind = 'guest';
    session.name = name;
  }
  session.stopped = false;
  connect();
}

function connect() {
  clearTimeout(session.reconnectTimer);
  store.setConnection(session.attempts ? 'reconnecting' : 'connecting');
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  session.ws = ws;
  ws.onmessage = (ev) => {
    const f = parseFrame(ev.data);
    if (!f) return;
    if (f.type === 'hello') {
      session.socketId = typeof f.socketId === 'string' ? f.socketId : null;
      session.gatewayId = typeof f.gatewayId === 'string' ? f.gatewayId : null;
      store.setLastN(f.media ? f.media.lastN : undefined);
      send(out.join(meeting.id, session.token, session.fingerprint(), session.lastSocketId));
    }
    if (f.meetingId !== undefined && f.meetingId !== meeting.id && f.type !== 'error') return;
    if (f.type === 'token') {
      adoptToken(f.token);
      return;
    }
    const fn = handlers.get(f.type);
    if (!fn) return; // pong, and frames of later versions
    try {
      fn(f);
    } catch (e) {
      console.warn('handling ' + f.type + ' failed', e);
    }
  };
  ws.onclose = () => {
    if (session.ws !== ws) return;
    session.ws = null;
    session.joined = false;
    clearInterval(session.pingTimer);
    const lost = handlers.get('socket-closed');
    if (lost) lost();
    if (!session.stopped) scheduleReconnect();
  };
}

function scheduleReconnect() {
  const delay = Math.min(10000, 500 * Math.pow(2, session.attempts)) * (0.75 + Math.random() * 0.5);
  session.attempts++;
  store.setConnection('reconnecting');
  session.reconnectTimer = setTimeout(connect, delay);
}

/** Keep-alive after `joined`. */
export function startPings() {
  clearInterval(session.pingTimer);
  session.pingTimer = setInterval(() => send(out.ping()), 25000);
}

/** Closes the socket; no reconnect until start() again. */
export function stop() {
  session.stopped = true;
  session.lastSocketId = null; // left on purpose (or refused): a later join is a new arrival
  clearTimeout(session.reconnectTimer);
  clearInterval(session.pingTimer);
  const ws = session.ws;
  session.ws = null;
  session.joined = false;
  if (ws && ws.readyState <= 1) ws.close(1000, 'bye');
  store.setConnection('idle');
}

/** Leaves on purpose: the leave frame goes out before the socket closes (closing also leaves, on the server). */
export function leave() {
  const ws = session.ws;
  send(out.leave(meeting.id));
  session.ws = null;
  stop();
  setTimeout(() => { if (ws && ws.readyState <= 1) ws.close(1000, 'left'); }, 200);
}

export function send(frame) {
  const ws = session.ws;
  if (ws && ws.readyState === 1) {
    ws.send(JSON.stringify(frame));
    return true;
  }
  return false;
}
