// The meeting page (/j/{code}). Joins through the gateway's WebSocket (docs/protocol.md), shows participants and
// chat, loads the history over REST after "joined" and merges it with live messages by seq (deduplicated by
// clientMsgId). Reconnects with backoff and re-joins; chat messages not yet echoed back are re-sent with the same
// clientMsgId, so the server keeps exactly one copy.
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
    if (!state.token) {
      try {
        state.token = await guestToken(name);
        state.tokenKind = 'guest';
        state.name = name;
      } catch (e) {
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
        send({ type: 'join', meetingId: meeting.id, token: state.token });
        break;
      case 'joined':
        if (f.meetingId !== meeting.id) break;
        onJoined(f);
        break;
      case 'participant-joined':
        if (f.meetingId !== meeting.id || !f.participant) break;
        addParticipant(f.participant);
        if (f.participant.socketId !== state.socketId) notice(f.participant.displayName + ' joined');
        break;
      case 'participant-left':
        if (f.meetingId !== meeting.id || !f.participant) break;
        removeParticipant(f.participant.socketId);
        if (f.participant.socketId !== state.socketId) notice(f.participant.displayName + ' left');
        break;
      case 'chat':
        if (f.meetingId !== meeting.id) break;
        addMessage({ seq: f.seq, clientMsgId: f.clientMsgId, from: f.from && f.from.displayName, text: f.text, sentAt: f.sentAt });
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
  }

  function onError(f) {
    const ref = f.ref;
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

  $('leave').addEventListener('click', () => {
    state.left = true;
    send({ type: 'leave', meetingId: meeting.id });
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
