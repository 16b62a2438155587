// The meeting page (/j/{code}). Joins through the gateway's WebSocket (docs/protocol.md), shows participants and
// chat, loads the history over REST after "joined" and merges it with live messages by seq (deduplicated by
// clientMsgId). Reconnects with backoff and re-joins; chat messages not yet echoed back are re-sent with the same
// clientMsgId, so the server keeps exactly one copy.
//
// Video and audio: after "joined" the page publishes its camera and microphone to the room's forwarder and shows
// everyone else's in a grid of tiles (see the media section below and docs/protocol.md). A test hook is on
// window.rendezvousMedia.
//
//   /j/{code}?name=Alice&autojoin=1   join at once as guest "Alice" (or as the logged-in user)
//   /j/{code}?token=...&autojoin=1    join at once with that token
(function () {
  'use strict';
  const TOKEN_KEY = 'rendezvous.token';
  const HISTORY_LIMIT = 500;
  const $ = (id) => document.getElementById(id);

  const meeting = {
    id: document.body.dataset.meetingId,
    code: document.body.dataset.meetingCode,
    title: document.body.dataset.meetingTitle,
  };
  const params = new URLSearchParams(location.search);

  const state = {
    token: null,          // the token used to join (user or guest)
    tokenKind: null,      // 'user' | 'guest'
    tokenFromUser: false, // came from localStorage or ?token= (not obtained here)
    name: null,
    ws: null,
    socketId: null,
    joined: false,
    left: false,          // the person left on purpose: no reconnect
    fatal: false,
    attempts: 0,
    reconnectTimer: null,
    pingTimer: null,
    guestRenewals: 0,
    seenSeq: new Set(),
    seenMsgIds: new Set(),
    pending: new Map(),   // clientMsgId -> { text, el }
    participants: new Map(), // socketId -> element
  };

  // ---- tokens -------------------------------------------------------------------------------------------------

  function claims(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const json = decodeURIComponent(atob(part).split('').map((c) => '%' + ('00' + c.charCodeAt(0).toString(16)).slice(-2)).join(''));
      return JSON.parse(json);
    } catch (e) {
      return null;
    }
  }

  function usable(token) {
    const c = token && claims(token);
    if (!c || !c.exp || c.exp * 1000 < Date.now() + 5000) return null;
    if (c.kind === 'guest' && c.mid !== meeting.id) return null;
    return c;
  }

  function pickInitialToken() {
    const given = params.get('token');
    const gc = given && usable(given);
    if (gc) {
      Object.assign(state, { token: given, tokenKind: gc.kind, tokenFromUser: true, name: gc.name });
      return;
    }
    const stored = localStorage.getItem(TOKEN_KEY);
    const sc = stored && usable(stored);
    if (sc && sc.kind === 'user') {
      Object.assign(state, { token: stored, tokenKind: 'user', tokenFromUser: true, name: sc.name });
    }
  }

  async function guestToken(name) {
    const res = await fetch('/api/v1/meetings/' + encodeURIComponent(meeting.code) + '/guest', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ displayName: name }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.message || ('HTTP ' + res.status));
    return data.token;
  }

  // ---- views ----------------------------------------------------------------------------------------------------

  function show(view) {
    for (const id of ['join-view', 'meeting-view', 'left-view', 'fatal-view']) $(id).hidden = id !== view;
  }

  function setConnection(s, text) {
    $('connection').dataset.state = s;
    $('connection').textContent = text;
  }

  function fatal(message) {
    state.fatal = true;
    stopSocket();
    stopMedia();
    $('fatal-message').textContent = message;
    show('fatal-view');
    setConnection('idle', '');
  }

  function showJoinForm(error) {
    show('join-view');
    if (state.tokenKind === 'user' && state.token) {
      $('join-as-user').hidden = false;
      $('join-user-name').textContent = state.name;
      $('join-name-label').hidden = true;
      $('join-name').required = false;
    } else {
      $('join-as-user').hidden = true;
      $('join-name-label').hidden = false;
      $('join-name').required = true;
      $('join-name').value = $('join-name').value || params.get('name') || '';
      $('join-name').focus();
    }
    $('join-error').textContent = error || '';
  }

  // ---- joining and the socket -------------------------------------------------------------------------------------

  async function join(name) {
    $('join-error').textContent = '';
    // open the camera and microphone while the token and the join travel, not after: it is on the path to
    // the first frame (startMedia reuses the same request)
    media.active = true;
    ensureLocalMedia();
    if (!state.token) {
      try {
        state.token = await guestToken(name);
        state.tokenKind = 'guest';
        state.name = name;
      } catch (e) {
        stopMedia();
        showJoinForm(e.message);
        return;
      }
    }
    state.left = false;
    state.fatal = false;
    connect();
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    setConnection(state.attempts ? 'reconnecting' : 'connecting', state.attempts ? 'Reconnecting…' : 'Connecting…');
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    state.ws = ws;
    ws.onmessage = (ev) => {
      let frame;
      try { frame = JSON.parse(ev.data); } catch (e) { return; }
      onFrame(frame);
    };
    ws.onclose = () => {
      if (state.ws !== ws) return;
      state.ws = null;
      state.joined = false;
      clearInterval(state.pingTimer);
      if (!state.left && !state.fatal) scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    const delay = Math.min(10000, 500 * Math.pow(2, state.attempts)) * (0.75 + Math.random() * 0.5);
    state.attempts++;
    setConnection('reconnecting', 'Connection lost; reconnecting…');
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function stopSocket() {
    clearTimeout(state.reconnectTimer);
    clearInterval(state.pingTimer);
    const ws = state.ws;
    state.ws = null;
    state.joined = false;
    if (ws && ws.readyState <= 1) ws.close(1000, 'bye');
  }

  function send(frame) {
    if (state.ws && state.ws.readyState === 1) {
      state.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function onFrame(f) {
    switch (f.type) {
      case 'hello':
        state.socketId = f.socketId;
        if (send({ type: 'join', meetingId: meeting.id, token: state.token,
                   fingerprint: subscribeCert.fingerprint || undefined })) {
          media.joinStartedAt = performance.now();
          media.firstRemoteFrameAt = null;
        }
        break;
      case 'joined':
        if (f.meetingId !== meeting.id) break;
        onJoined(f);
        break;
      case 'participant-joined':
        if (f.meetingId !== meeting.id || !f.participant) break;
        addParticipant(f.participant);
        renameTiles(f.participant.socketId);
        if (f.participant.socketId !== state.socketId) notice(f.participant.displayName + ' joined');
        break;
      case 'participant-left':
        if (f.meetingId !== meeting.id || !f.participant) break;
        removeParticipant(f.participant.socketId);
        removeSocketTiles(f.participant.socketId);
        if (f.participant.socketId === state.socketId) stopMedia(); // removed from the meeting
        if (f.participant.socketId !== state.socketId) notice(f.participant.displayName + ' left');
        break;
      case 'chat':
        if (f.meetingId !== meeting.id) break;
        addMessage({ seq: f.seq, clientMsgId: f.clientMsgId, from: f.from && f.from.displayName, text: f.text, sentAt: f.sentAt });
        break;
      case 'media-offer':
        if (f.meetingId !== meeting.id) break;
        onMediaOffer(f);
        break;
      case 'media-answer':
        if (f.meetingId !== meeting.id) break;
        onMediaAnswer(f);
        break;
      case 'active-speaker':
        if (f.meetingId !== meeting.id) break;
        onActiveSpeaker(f.socketId);
        break;
      case 'left':
        break;
      case 'error':
        onError(f);
        break;
      default:
        break; // pong, and frames of later versions
    }
  }

  function onJoined(f) {
    state.joined = true;
    state.attempts = 0;
    state.guestRenewals = 0;
    setConnection('connected', 'Connected');
    show('meeting-view');
    $('participants').replaceChildren();
    state.participants.clear();
    for (const p of f.participants || []) addParticipant(p);
    if (f.you && !state.participants.has(f.you.socketId)) addParticipant(f.you);
    clearInterval(state.pingTimer);
    state.pingTimer = setInterval(() => send({ type: 'ping' }), 25000);
    loadHistory().finally(resendPending);
    $('chat-input').focus();
    startMedia().catch((e) => console.warn('media could not start', e));
  }

  function onError(f) {
    const ref = f.ref;
    if (ref === 'publish' || ref === 'subscribe' || ref === 'media') {
      onMediaError(f);
      return;
    }
    switch (f.error) {
      case 'unauthorized':
        if (state.tokenKind === 'guest' && state.name && state.guestRenewals < 1) {
          // the guest token expired while we were away: get a fresh one with the same name
          state.guestRenewals++;
          state.token = null;
          stopSocket();
          join(state.name);
        } else {
          stopSocket();
          if (state.tokenFromUser && localStorage.getItem(TOKEN_KEY) === state.token) localStorage.removeItem(TOKEN_KEY);
          Object.assign(state, { token: null, tokenKind: null, tokenFromUser: false });
          showJoinForm('Your session has expired. Join with a name, or log in again.');
        }
        break;
      case 'meeting_not_found':
      case 'forbidden':
      case 'meeting_ended':
        fatal(f.message);
        break;
      case 'rate_limited':
        if (ref && state.pending.has(ref)) setTimeout(() => resendOne(ref), 1000);
        else $('chat-error').textContent = 'Slow down a little.';
        break;
      case 'invalid_message':
        if (ref && state.pending.has(ref)) {
          const p = state.pending.get(ref);
          p.el.remove();
          state.pending.delete(ref);
        }
        $('chat-error').textContent = 'Not sent: ' + f.message;
        break;
      case 'not_joined':
        break; // kept as pending; re-sent after the next "joined"
      default:
        $('chat-error').textContent = f.message || f.error;
    }
  }

  // ---- participants -------------------------------------------------------------------------------------------------

  function addParticipant(p) {
    if (!p || !p.socketId || state.participants.has(p.socketId)) return;
    const li = document.createElement('li');
    li.dataset.testid = 'participant';
    li.dataset.participantName = p.displayName;
    li.dataset.participantId = p.participantId;
    li.dataset.socketId = p.socketId;
    li.textContent = p.displayName;
    const role = document.createElement('span');
    role.className = 'role';
    const you = p.socketId === state.socketId;
    role.textContent = [p.role === 'HOST' ? 'host' : p.role === 'GUEST' ? 'guest' : '', you ? 'you' : '']
      .filter(Boolean).join(', ');
    if (role.textContent) li.append(' ', role);
    state.participants.set(p.socketId, li);
    $('participants').appendChild(li);
  }

  function removeParticipant(socketId) {
    const li = state.participants.get(socketId);
    if (li) li.remove();
    state.participants.delete(socketId);
  }

  // ---- chat ---------------------------------------------------------------------------------------------------------

  function notice(text) {
    const li = document.createElement('li');
    li.dataset.testid = 'chat-notice';
    li.className = 'notice';
    li.textContent = text;
    appendToLog(li);
  }

  function appendToLog(el) {
    const log = $('chat-log');
    const firstPending = log.querySelector('li.pending');
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.insertBefore(el, firstPending);
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  /** Inserts a message in seq order; duplicates (same seq or clientMsgId) are ignored. */
  function addMessage(m) {
    if (m.clientMsgId && state.pending.has(m.clientMsgId)) {
      state.pending.get(m.clientMsgId).el.remove();
      state.pending.delete(m.clientMsgId);
    }
    if (state.seenSeq.has(m.seq) || (m.clientMsgId && state.seenMsgIds.has(m.clientMsgId))) return;
    state.seenSeq.add(m.seq);
    if (m.clientMsgId) state.seenMsgIds.add(m.clientMsgId);
    const li = document.createElement('li');
    li.dataset.testid = 'chat-message';
    li.dataset.seq = String(m.seq);
    if (m.clientMsgId) li.dataset.clientMsgId = m.clientMsgId;
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = m.from || 'someone';
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = m.text;
    li.append(from, ' ', text);
    if (m.sentAt) {
      const time = document.createElement('time');
      time.dateTime = m.sentAt;
      time.textContent = new Date(m.sentAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      li.append(' ', time);
    }
    const later = Array.from($('chat-log').querySelectorAll('li[data-testid="chat-message"]'))
      .find((el) => Number(el.dataset.seq) > m.seq);
    if (later) $('chat-log').insertBefore(li, later);
    else appendToLog(li);
  }

  async function loadHistory() {
    try {
      const res = await fetch('/api/v1/meetings/' + encodeURIComponent(meeting.id) + '/messages?limit=' + HISTORY_LIMIT,
        { headers: { Authorization: 'Bearer ' + state.token } });
      if (!res.ok) return;
      for (const m of await res.json()) addMessage(m);
    } catch (e) {
      // history is a convenience; live messages still arrive
    }
  }

  function sendChat(text) {
    const clientMsgId = crypto.randomUUID();
    const li = document.createElement('li');
    li.dataset.testid = 'chat-pending';
    li.className = 'pending';
    li.dataset.clientMsgId = clientMsgId;
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = state.name || 'You';
    const body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    li.append(from, ' ', body);
    $('chat-log').appendChild(li);
    $('chat-log').scrollTop = $('chat-log').scrollHeight;
    state.pending.set(clientMsgId, { text, el: li });
    if (state.joined) resendOne(clientMsgId);
  }

  function resendOne(clientMsgId) {
    const p = state.pending.get(clientMsgId);
    if (p && state.joined) send({ type: 'chat', meetingId: meeting.id, clientMsgId, text: p.text });
  }

  function resendPending() {
    for (const id of state.pending.keys()) resendOne(id);
  }

  // ---- media (WebRTC through the room's forwarder; docs/protocol.md, "The life of a media connection") ------------
  //
  // Two PeerConnections per page: "publish" (we offer our sendonly tracks, the forwarder answers) and "subscribe"
  // (the forwarder offers the others' tracks, we answer; renegotiated whenever tracks come and go). The forwarder is
  // ICE-lite and puts its candidate in its SDP, so no trickle ICE. Every signaling step of a PC runs on that PC's
  // promise chain; everything asynchronous checks `media.gen`, which changes whenever the PCs are thrown away.

  const PC_CONFIG = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };

  // The subscribe PeerConnections' DTLS certificate, made once per page load while the socket connects. Its
  // fingerprint goes with `join` (and `media-subscribe`), so the forwarder can check the browser's certificate
  // as soon as the DTLS handshake reaches it instead of waiting for our answer to come through Kafka.
  const subscribeCert = { cert: null, fingerprint: null };
  try {
    if (window.RTCPeerConnection && RTCPeerConnection.generateCertificate) {
      RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }).then((cert) => {
        const fp = (cert.getFingerprints ? cert.getFingerprints() : []).find((f) => f.algorithm === 'sha-256');
        subscribeCert.cert = cert;
        subscribeCert.fingerprint = fp ? fp.value.toUpperCase() : null;
      }).catch(() => { /* the forwarder then learns the fingerprint from the answer */ });
    }
  } catch (e) { /* no WebRTC: the page says so when media starts */ }
  const ANSWER_TIMEOUT_MS = 15000;  // no media-answer by then: start over (bounded backoff)
  const GUM_WAIT_MS = 8000;         // publish without local media if the camera/mic prompt takes longer
  const DISCONNECTED_GRACE_MS = 4000;
  const MAX_RETRY_MS = 30000;

  const media = {
    active: false,          // joined and not left: media should be running
    gen: 0,                 // incremented whenever the PCs are closed; stale async work checks it
    localStream: null,      // camera + microphone (null until getUserMedia succeeded)
    gumPromise: null,
    screenStream: null,
    micOn: true,
    camOn: true,
    publishPc: null,
    subscribePc: null,
    pubChain: Promise.resolve(),
    subChain: Promise.resolve(),
    pubTx: [],              // [{ tx, kind, source }] transceivers of the publish PC, not stopped
    prepared: null,         // { pc, txs, stream, ready }: the first publish PC, offered while the join travels
    preparedOffers: 0,      // how many publishes used a prepared offer (the benchmark reads it)
    answerWaiter: null,     // { gen, resolve, timer } while a publish offer waits for its answer
    tracks: new Map(),      // subscribe mid -> { socketId, participantId, kind, source, muted } (latest offer)
    attached: new Map(),    // subscribe mid -> { socketId, key, track } shown in a tile
    tiles: new Map(),       // `${socketId}|camera` / `${socketId}|screen` -> tile
    dirtyTiles: new Set(),
    speaker: null,
    speakerSignals: 0,      // active-speaker frames received (test hook)
    staleUfrags: [],        // ICE ufrags of the forwarder's subscribe connections this page has closed
    gone: new Set(),        // sockets that left: their tracks are not shown again
    retryTimer: null,
    retryAttempts: 0,
    stateRetryTimer: null,
    discTimers: {},
    noticeTimer: null,
    joinStartedAt: null,
    firstRemoteFrameAt: null,
  };

  function mediaNotice(text) {
    const el = $('media-notice');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(media.noticeTimer);
    media.noticeTimer = setTimeout(() => { el.hidden = true; }, 6000);
  }

  function localTrack(kind) {
    const s = media.localStream;
    if (!s) return null;
    return (kind === 'audio' ? s.getAudioTracks() : s.getVideoTracks())[0] || null;
  }

  function sourceOn(source) {
    if (source === 'microphone') return media.micOn && !!localTrack('audio');
    if (source === 'camera') return media.camOn && !!localTrack('video');
    return !!media.screenStream;
  }

  // ---- local media and controls

  /** Resolves when the camera/mic are there, failed, or took longer than GUM_WAIT_MS (they may still come later). */
  function ensureLocalMedia() {
    if (media.localStream) return Promise.resolve();
    if (!media.gumPromise) {
      const md = navigator.mediaDevices;
      const asked = md && md.getUserMedia
        ? md.getUserMedia({ audio: true, video: { width: 640, height: 480 } })
        : Promise.reject(new Error('this page cannot use a camera here (it needs https or localhost)'));
      media.gumPromise = asked.then((stream) => {
        if (!media.active) { // left meanwhile
          stream.getTracks().forEach((t) => t.stop());
          media.gumPromise = null;
          return;
        }
        media.localStream = stream;
        onLocalMedia();
      }, (e) => {
        mediaNotice('No camera or microphone: ' + (e && (e.message || e.name) || 'not allowed') + '. You can still watch and chat.');
        updateControls();
      });
    }
    return Promise.race([media.gumPromise, new Promise((r) => setTimeout(r, GUM_WAIT_MS))]);
  }

  /** The camera and mic arrived: self-view, buttons, and (when we already published without them) the senders. */
  function onLocalMedia() {
    const audio = localTrack('audio');
    const video = localTrack('video');
    if (audio) audio.enabled = media.micOn;
    if (video) video.enabled = media.camOn;
    const self = $('self-view');
    self.muted = true;
    self.srcObject = video ? new MediaStream([video]) : null;
    if (video) self.play().catch(() => {});
    updateControls();
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

  function updateControls() {
    const set = (id, on, available, onLabel, offLabel, missing) => {
      const b = $(id);
      b.disabled = !available;
      b.setAttribute('aria-pressed', String(!!(on && available)));
      b.dataset.state = on && available ? 'on' : 'off';
      b.textContent = !available ? missing : on ? onLabel : offLabel;
      b.title = b.textContent;
    };
    set('mic-toggle', media.micOn, !!localTrack('audio'), 'Mute', 'Unmute', 'No microphone');
    set('cam-toggle', media.camOn, !!localTrack('video'), 'Stop video', 'Start video', 'No camera');
    const canShare = !!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia) && media.active;
    set('screen-toggle', !!media.screenStream, canShare, 'Stop sharing', 'Share screen', 'Share screen');
    $('self-tile').classList.toggle('video-off', !(media.camOn && localTrack('video')));
  }

  async function setSource(source, on) {
    const kind = source === 'microphone' ? 'audio' : 'video';
    if (source === 'microphone') media.micOn = on; else media.camOn = on;
    const track = localTrack(kind);
    if (track) track.enabled = on;
    updateControls();
    const e = media.pubTx.find((x) => x.source === source);
    if (e && track) {
      try {
        await e.tx.sender.replaceTrack(on ? track : null); // null: no packets at all while muted
      } catch (err) {
        console.warn('replaceTrack failed', err);
      }
    }
    sendMediaState();
  }

  async function toggleScreen() {
    if (media.screenStream) {
      stopScreen();
      return;
    }
    if (!media.active) return;
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (e) {
      if (e && e.name !== 'NotAllowedError' && e.name !== 'AbortError') mediaNotice('Cannot share the screen: ' + (e.message || e.name));
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
    updateControls();
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
    updateControls();
  }

  /** Our own tracks as the forwarder must know them (mids are known once the offer is set locally). */
  function publishTracks() {
    const out = [];
    for (const e of media.pubTx) {
      const mid = e.tx.mid;
      if (mid == null || e.tx.direction === 'stopped') continue;
      out.push({ mid: String(mid), kind: e.kind, source: e.source, muted: !sourceOn(e.source) });
    }
    return out;
  }

  function sendMediaState() {
    const pc = media.publishPc;
    if (!pc) return;
    const gen = media.gen;
    // after any negotiation in flight, so the forwarder already knows the mids
    enqueue('pubChain', async () => {
      if (gen !== media.gen || !state.joined) return;
      const tracks = publishTracks();
      if (tracks.length) send({ type: 'media-state', meetingId: meeting.id, tracks });
    });
  }

  // ---- the two PeerConnections

  function enqueue(chain, step) {
    const next = media[chain].then(step).catch((e) => {
      console.warn('media ' + chain + ' step failed', e);
      if (media.active) {
        mediaNotice('The video connection had a problem; reconnecting…');
        scheduleRepublish(1000);
      }
    });
    media[chain] = next;
    return next;
  }

  function addPublishTransceiver(pc, kind, source, track, stream) {
    const tx = pc.addTransceiver(track || kind, { direction: 'sendonly', streams: stream ? [stream] : [] });
    if (track && !sourceOn(source)) tx.sender.replaceTrack(null).catch(() => {}); // muted before a restart
    media.pubTx.push({ tx, kind, source });
    return tx;
  }

  /** A new publish PC with our tracks (trackless m-lines when there is no camera/mic: we still get the others). */
  function publish() {
    if (!media.active || !state.joined) return;
    const gen = media.gen;
    const prepared = takePrepared();
    let pc = prepared ? prepared.pc : null;
    if (!pc) {
      try {
        pc = new RTCPeerConnection(PC_CONFIG);
      } catch (e) {
        mediaNotice('This browser cannot show video (WebRTC is not available).');
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
  function preparePublish() {
    if (media.prepared || state.joined || !media.localStream || media.screenStream) return;
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
      txs.push({ tx: pc.addTransceiver(localTrack(kind), { direction: 'sendonly', streams: [s] }), kind, source });
    }
    const ready = pc.createOffer().then((o) => pc.setLocalDescription(o)).then(() => true, () => false);
    media.prepared = { pc, txs, stream: s, ready };
  }

  /** The prepared connection if it still fits, else null (and it is closed). Taken once. */
  function takePrepared() {
    const p = media.prepared;
    media.prepared = null;
    if (!p) return null;
    const fits = p.stream === media.localStream && !media.screenStream && sourceOn('microphone') && sourceOn('camera')
      && p.pc.signalingState !== 'closed';
    if (fits) {
      media.preparedOffers += 1;
      return p;
    }
    try { p.pc.close(); } catch (e) { /* closed */ }
    return null;
  }

  function dropPrepared() {
    const p = media.prepared;
    media.prepared = null;
    if (p) try { p.pc.close(); } catch (e) { /* closed */ }
  }

  /** offer → setLocalDescription → media-offer → (media-answer) → setRemoteDescription. */
  async function negotiatePublish(gen, pc) {
    if (gen !== media.gen || pc !== media.publishPc || pc.signalingState === 'closed') return;
    if (!(pc.signalingState === 'have-local-offer' && pc.localDescription)) { // a prepared offer is there already
      const offer = await pc.createOffer();
      if (gen !== media.gen) return;
      await pc.setLocalDescription(offer);
      if (gen !== media.gen) return;
    }
    const answer = waitForAnswer(gen);
    if (!send({ type: 'media-offer', meetingId: meeting.id, sdp: pc.localDescription.sdp, tracks: publishTracks() })) {
      cancelAnswerWait();
      return; // the socket is down; the next "joined" starts media again
    }
    const sdp = await answer;
    if (sdp == null || gen !== media.gen || pc.signalingState !== 'have-local-offer') return;
    await pc.setRemoteDescription({ type: 'answer', sdp });
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
          mediaNotice('The video service does not answer; retrying…');
          scheduleRepublish(2000);
        }
      }, ANSWER_TIMEOUT_MS);
      media.answerWaiter = w;
    });
  }

  function cancelAnswerWait() {
    const w = media.answerWaiter;
    media.answerWaiter = null;
    if (w) {
      clearTimeout(w.timer);
      w.resolve(null);
    }
  }

  function onMediaAnswer(f) {
    const w = media.answerWaiter;
    if (!w || w.gen !== media.gen || typeof f.sdp !== 'string') return; // stale or unexpected: ignore
    media.answerWaiter = null;
    clearTimeout(w.timer);
    w.resolve(f.sdp);
  }

  function createSubscribePc(gen) {
    const pc = new RTCPeerConnection(subscribeCert.cert
      ? Object.assign({ certificates: [subscribeCert.cert] }, PC_CONFIG) : PC_CONFIG);
    media.subscribePc = pc;
    media.subChain = Promise.resolve();
    watchPc(pc, gen, 'subscribe');
    pc.addEventListener('track', (ev) => {
      if (gen !== media.gen) return;
      const mid = ev.transceiver && ev.transceiver.mid;
      const info = mid == null ? null : media.tracks.get(String(mid));
      if (info) attach(String(mid), info, ev.track);
    });
    return pc;
  }

  /** The forwarder offers the others' tracks: answer it, then show exactly the tracks it now carries. */
  function iceUfragOf(sdp) {
    const m = /^a=ice-ufrag:(\S+)/m.exec(sdp || '');
    return m ? m[1] : null;
  }

  function onMediaOffer(f) {
    if (!media.active || typeof f.sdp !== 'string') return;
    if (media.staleUfrags.includes(iceUfragOf(f.sdp))) return; // for a subscribe PC already closed
    const gen = media.gen;
    let pc = media.subscribePc;
    if (!pc) {
      try {
        pc = createSubscribePc(gen);
      } catch (e) {
        mediaNotice('This browser cannot show video (WebRTC is not available).');
        return;
      }
    }
    enqueue('subChain', async () => {
      if (gen !== media.gen || pc !== media.subscribePc) return;
      const next = new Map();
      for (const t of Array.isArray(f.tracks) ? f.tracks : []) {
        if (!t || t.mid == null || !t.socketId) continue;
        next.set(String(t.mid), {
          socketId: t.socketId, participantId: t.participantId, kind: t.kind, source: t.source, muted: !!t.muted,
        });
      }
      media.tracks = next; // before setRemoteDescription: its "track" events look mids up here
      await pc.setRemoteDescription({ type: 'offer', sdp: f.sdp });
      if (gen !== media.gen) return;
      const answer = await pc.createAnswer();
      if (gen !== media.gen) return;
      await pc.setLocalDescription(answer);
      if (gen !== media.gen) return;
      send({ type: 'media-answer', meetingId: meeting.id, sdp: pc.localDescription.sdp });
      reconcile();
    });
  }

  function watchPc(pc, gen, label) {
    pc.addEventListener('connectionstatechange', () => {
      if (gen !== media.gen) return;
      const s = pc.connectionState;
      clearTimeout(media.discTimers[label]);
      if (s === 'connected') {
        if (label === 'publish') media.retryAttempts = 0;
      } else if (s === 'failed') {
        mediaNotice('The video connection was lost; reconnecting…');
        scheduleRepublish(0);
      } else if (s === 'disconnected') {
        media.discTimers[label] = setTimeout(() => {
          if (gen === media.gen && pc.connectionState === 'disconnected') {
            mediaNotice('The video connection was lost; reconnecting…');
            scheduleRepublish(0);
          }
        }, DISCONNECTED_GRACE_MS);
      }
    });
  }

  /** Throws both PCs away (the remote tiles go with them); local tracks are kept. */
  function closePcs() {
    media.gen++;
    // an offer of the subscribe connection thrown away here may still be on its way: recognise it by its ICE ufrag
    const oldOffer = media.subscribePc && media.subscribePc.remoteDescription;
    const oldUfrag = oldOffer ? iceUfragOf(oldOffer.sdp) : null;
    if (oldUfrag) {
      media.staleUfrags.push(oldUfrag);
      if (media.staleUfrags.length > 8) media.staleUfrags.shift();
    }
    cancelAnswerWait();
    for (const k of Object.keys(media.discTimers)) clearTimeout(media.discTimers[k]);
    for (const pc of [media.publishPc, media.subscribePc]) {
      if (pc) try { pc.close(); } catch (e) { /* already closed */ }
    }
    media.publishPc = null;
    media.subscribePc = null;
    media.pubTx = [];
    media.pubChain = Promise.resolve();
    media.subChain = Promise.resolve();
    media.tracks = new Map();
    clearRemoteTiles();
  }

  /** Close both PCs, ask for a new subscribe offer and publish again after a bounded, growing delay. */
  function scheduleRepublish(minDelayMs) {
    if (!media.active || media.retryTimer) return;
    const backoff = media.retryAttempts === 0 ? 0 : Math.min(MAX_RETRY_MS, 1000 * Math.pow(2, media.retryAttempts));
    const delay = Math.max(minDelayMs || 0, backoff) * (0.8 + Math.random() * 0.4);
    media.retryAttempts++;
    cancelAnswerWait();
    media.retryTimer = setTimeout(() => {
      media.retryTimer = null;
      if (!media.active || !state.joined) return; // the next "joined" restarts media
      closePcs();
      // both PCs are new: ask for a fresh subscribe offer (after a join the forwarder sends one by itself)
      send({ type: 'media-subscribe', meetingId: meeting.id, fingerprint: subscribeCert.fingerprint || undefined });
      publish();
    }, delay);
  }

  /** After "joined" (first join or a re-join on a new socket): fresh PCs, no tiles of old sockets. */
  async function startMedia() {
    media.active = true;
    clearTimeout(media.retryTimer);
    media.retryTimer = null;
    media.retryAttempts = 0;
    media.gone.clear();
    media.speaker = null;
    closePcs();
    updateControls();
    const gen = media.gen;
    await ensureLocalMedia();
    if (gen !== media.gen || !media.active) return;
    publish();
  }

  /** Voluntary leave, or the meeting is gone: everything off, camera light included. */
  function stopMedia() {
    media.active = false;
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
    $('self-view').srcObject = null;
    updateControls();
  }

  function onMediaError(f) {
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
        mediaNotice('Video is not available right now; retrying…');
        if (f.ref !== 'media') scheduleRepublish(3000);
        return;
      case 'invalid_message':
      case 'bad_frame':
        mediaNotice('Video: ' + (f.message || f.error));
        if (f.ref === 'publish') cancelAnswerWait();
        return;
      default:
        mediaNotice('Video: ' + (f.message || f.error));
        if (f.ref === 'publish' || f.ref === 'subscribe') scheduleRepublish(3000);
    }
  }

  // ---- remote tiles

  function nameOf(socketId) {
    const li = state.participants.get(socketId);
    return li ? li.dataset.participantName : '';
  }

  function tileSourceOf(info) {
    return info.source === 'screen' ? 'screen' : 'camera';
  }

  function ensureTile(socketId, source) {
    const key = socketId + '|' + source;
    let tile = media.tiles.get(key);
    if (tile) return tile;
    const fig = document.createElement('figure');
    fig.className = 'tile' + (source === 'screen' ? ' screen' : '');
    fig.dataset.socketId = socketId;
    fig.dataset.source = source;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = false;
    video.setAttribute('autoplay', '');
    video.setAttribute('playsinline', '');
    video.dataset.socketId = socketId;
    video.dataset.source = source;
    const caption = document.createElement('figcaption');
    fig.append(video, caption);
    tile = { key, socketId, source, el: fig, video, caption, tracks: new Map() };
    media.tiles.set(key, tile);
    setTileName(tile);
    fig.classList.toggle('speaking', media.speaker === socketId);
    video.classList.toggle('speaking', media.speaker === socketId);
    // camera tile first, its screen tile right after it
    const grid = $('video-grid');
    const sibling = media.tiles.get(socketId + '|' + (source === 'screen' ? 'camera' : 'screen'));
    if (sibling && source === 'screen') sibling.el.after(fig);
    else if (sibling) sibling.el.before(fig);
    else grid.appendChild(fig);
    watchFirstFrame(video);
    return tile;
  }

  function setTileName(tile) {
    const name = nameOf(tile.socketId);
    tile.video.dataset.participantName = name;
    tile.caption.textContent = (name || 'Someone') + (tile.source === 'screen' ? ' (screen)' : '');
  }

  function renameTiles(socketId) {
    for (const t of media.tiles.values()) if (t.socketId === socketId) setTileName(t);
  }

  function watchFirstFrame(video) {
    const mark = () => {
      if (media.firstRemoteFrameAt == null) media.firstRemoteFrameAt = performance.now();
    };
    if (typeof video.requestVideoFrameCallback === 'function') video.requestVideoFrameCallback(mark);
    else video.addEventListener('loadeddata', mark, { once: true });
  }

  function attach(mid, info, track) {
    if (media.gone.has(info.socketId)) return;
    const key = info.socketId + '|' + tileSourceOf(info);
    const prev = media.attached.get(mid);
    if (prev && prev.track === track && prev.key === key) return;
    if (prev) detach(mid);
    const tile = ensureTile(info.socketId, tileSourceOf(info));
    tile.tracks.set(mid, track);
    media.attached.set(mid, { socketId: info.socketId, key, track });
    refreshTileSoon(tile);
  }

  function detach(mid) {
    const a = media.attached.get(mid);
    media.attached.delete(mid);
    if (!a) return;
    const tile = media.tiles.get(a.key);
    if (!tile) return;
    tile.tracks.delete(mid);
    if (tile.tracks.size === 0) removeTile(tile);
    else refreshTileSoon(tile);
  }

  function removeTile(tile) {
    media.tiles.delete(tile.key);
    media.dirtyTiles.delete(tile);
    tile.video.srcObject = null;
    tile.el.remove();
  }

  /** Tracks of a tile changed: one new MediaStream per change batch (a fresh srcObject always plays every track). */
  function refreshTileSoon(tile) {
    if (media.dirtyTiles.size === 0) queueMicrotask(flushTiles);
    media.dirtyTiles.add(tile);
  }

  function flushTiles() {
    const dirty = Array.from(media.dirtyTiles);
    media.dirtyTiles.clear();
    for (const tile of dirty) {
      if (media.tiles.get(tile.key) !== tile) continue;
      tile.video.srcObject = new MediaStream(Array.from(tile.tracks.values()));
      playTile(tile);
      updateTileMuted(tile);
    }
  }

  function playTile(tile) {
    const p = tile.video.play();
    if (p && p.catch) {
      p.catch((e) => {
        if (!e || e.name !== 'NotAllowedError') return;
        // autoplay with sound refused: play muted until the person interacts with the page
        tile.video.muted = true;
        tile.video.play().catch(() => {});
        mediaNotice('Click anywhere to hear the others.');
        document.addEventListener('click', () => {
          for (const t of media.tiles.values()) { t.video.muted = false; t.video.play().catch(() => {}); }
        }, { once: true });
      });
    }
  }

  function updateTileMuted(tile) {
    let videoOn = false;
    let audioOn = false;
    for (const mid of tile.tracks.keys()) {
      const info = media.tracks.get(mid);
      if (!info) continue;
      if (info.kind === 'video' && !info.muted) videoOn = true;
      if (info.kind === 'audio' && !info.muted) audioOn = true;
    }
    tile.el.classList.toggle('video-off', !videoOn);
    tile.el.classList.toggle('audio-off', !audioOn && tile.source === 'camera');
  }

  /** After each subscribe answer: show exactly the active transceivers the latest offer describes. */
  function reconcile() {
    const pc = media.subscribePc;
    const live = new Map();
    if (pc) {
      for (const tx of pc.getTransceivers()) {
        const mid = tx.mid == null ? null : String(tx.mid);
        const info = mid == null ? null : media.tracks.get(mid);
        const dir = tx.currentDirection || tx.direction;
        const active = info && !tx.stopped && (dir === 'recvonly' || dir === 'sendrecv');
        if (active && tx.receiver && tx.receiver.track) live.set(mid, { info, track: tx.receiver.track });
      }
    }
    for (const [mid, a] of Array.from(media.attached)) {
      const l = live.get(mid);
      if (!l || l.track !== a.track || a.key !== l.info.socketId + '|' + tileSourceOf(l.info)) detach(mid);
    }
    for (const [mid, l] of live) attach(mid, l.info, l.track);
    for (const tile of media.tiles.values()) updateTileMuted(tile);
  }

  function removeSocketTiles(socketId) {
    media.gone.add(socketId);
    for (const [mid, a] of Array.from(media.attached)) if (a.socketId === socketId) media.attached.delete(mid);
    for (const tile of Array.from(media.tiles.values())) if (tile.socketId === socketId) removeTile(tile);
  }

  function clearRemoteTiles() {
    media.attached.clear();
    for (const tile of Array.from(media.tiles.values())) removeTile(tile);
  }

  function onActiveSpeaker(socketId) {
    media.speaker = socketId || null;
    media.speakerSignals += 1;
    for (const t of media.tiles.values()) {
      t.el.classList.toggle('speaking', t.socketId === media.speaker);
      t.video.classList.toggle('speaking', t.socketId === media.speaker);
    }
    $('self-tile').classList.toggle('speaking', !!media.speaker && media.speaker === state.socketId);
  }

  // ---- test hook (browser tests and the latency benchmark)

  window.rendezvousMedia = {
    get publishPc() { return media.publishPc; },
    get subscribePc() { return media.subscribePc; },
    get joinStartedAt() { return media.joinStartedAt; },
    get preparedOffers() { return media.preparedOffers; },
    get firstRemoteFrameAt() { return media.firstRemoteFrameAt; },
    /** The socket the latest active-speaker frame named (null: nobody), and how many such frames arrived. */
    get speaker() { return media.speaker; },
    get speakerSignals() { return media.speakerSignals; },
    /** The latest subscribe offer's tracks, as a plain object mid -> { socketId, participantId, kind, source, muted }. */
    tracks() { return Object.fromEntries(media.tracks); },
    /** Remote tiles in page order. */
    tiles() {
      return Array.from($('video-grid').querySelectorAll('figure.tile:not(.self) > video')).map((v) => ({
        socketId: v.dataset.socketId, name: v.dataset.participantName, source: v.dataset.source, element: v,
      }));
    },
    /** Inbound RTP of the subscribe PC summed per publishing socket. */
    async inboundStats() {
      const out = {};
      for (const info of media.tracks.values()) {
        out[info.socketId] = out[info.socketId]
          || { framesDecoded: 0, audioPacketsReceived: 0, videoPacketsReceived: 0, audioLevel: 0 };
      }
      const pc = media.subscribePc;
      if (!pc) return out;
      const byTrackId = new Map();
      for (const tx of pc.getTransceivers()) {
        if (tx.mid != null && tx.receiver && tx.receiver.track) byTrackId.set(tx.receiver.track.id, String(tx.mid));
      }
      const stats = await pc.getStats();
      stats.forEach((r) => {
        if (r.type !== 'inbound-rtp') return;
        const mid = r.mid != null ? String(r.mid) : byTrackId.get(r.trackIdentifier);
        const info = mid == null ? null : media.tracks.get(mid);
        if (!info) return;
        const s = out[info.socketId];
        const kind = r.kind || r.mediaType;
        if (kind === 'audio') {
          s.audioPacketsReceived += r.packetsReceived || 0;
          s.audioLevel = Math.max(s.audioLevel, r.audioLevel || 0);
        }
        if (kind === 'video') {
          s.videoPacketsReceived += r.packetsReceived || 0;
          s.framesDecoded += r.framesDecoded || 0;
        }
      });
      return out;
    },
  };

  // ---- wiring -------------------------------------------------------------------------------------------------------

  $('join-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('join-name').value.trim();
    if (!state.token && !name) {
      $('join-error').textContent = 'Enter your name.';
      return;
    }
    join(name);
  });

  $('chat-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('chat-input');
    const text = input.value;
    if (!text.trim()) return;
    $('chat-error').textContent = '';
    sendChat(text);
    input.value = '';
  });

  $('mic-toggle').addEventListener('click', () => { setSource('microphone', !media.micOn); });
  $('cam-toggle').addEventListener('click', () => { setSource('camera', !media.camOn); });
  $('screen-toggle').addEventListener('click', () => { toggleScreen(); });

  $('leave').addEventListener('click', () => {
    state.left = true;
    send({ type: 'leave', meetingId: meeting.id });
    stopMedia();
    const ws = state.ws;
    // give the leave frame a moment to go out before closing (closing also leaves, on the server)
    setTimeout(() => { if (ws && ws.readyState <= 1) ws.close(1000, 'left'); }, 200);
    state.ws = null;
    state.joined = false;
    clearTimeout(state.reconnectTimer);
    clearInterval(state.pingTimer);
    setConnection('idle', '');
    show('left-view');
  });

  $('rejoin').addEventListener('click', () => {
    state.attempts = 0;
    join(state.name);
  });

  updateControls();
  pickInitialToken();
  const autojoin = ['1', 'true', 'yes'].includes((params.get('autojoin') || '').toLowerCase());
  const name = (params.get('name') || '').trim();
  if (autojoin && (state.token || name)) {
    show('join-view');
    $('join-view').hidden = true;
    join(state.token ? state.name : name);
  } else {
    showJoinForm();
  }
})();
