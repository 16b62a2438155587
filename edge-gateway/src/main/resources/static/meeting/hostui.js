// Host controls on the page: the host's and co-hosts' tools in the participants panel (mute all, lock, lobby on/off,
// end for all, the lobby list with admit/deny, raised hands in order), the record button in the toolbar and the
// recording indicator everyone sees, the per-person menu inside each participant
// entry (participants.js calls renderActions), raise hand and reactions in the toolbar, the banner under the header
// and the reactions on the stage. Host-only controls are created only for hosts and co-hosts and removed when the
// rights go: other people's pages do not have them at all. State lives in state.js; the rules are in host.js.
import { meeting, send } from './connection.js';
import { out } from './frames.js';
import { canModerate, hostErrorText, menuFor, REACTION_MS, REACTIONS, reactionOf } from './host.js';
import { store } from './state.js';

const $ = (id) => document.getElementById(id);
const pending = new Set(); // requestIds of our host-action / hand / reaction frames still unanswered
let requests = 0;
let bannerTimer = null;

function requestId() {
  requests += 1;
  const id = 'hc' + requests + '-' + Math.random().toString(36).slice(2, 8);
  pending.add(id);
  if (pending.size > 200) pending.delete(pending.values().next().value);
  return id;
}

/** Sends a host control (action of docs/protocol.md) with a request id of its own. */
export function hostAction(action, fields) {
  send(out.hostAction(meeting.id, action, fields, requestId()));
}

/** Whether an `error` frame answers one of our host-control requests. */
export function isHostRequest(ref) {
  return typeof ref === 'string' && pending.has(ref);
}

export function onHostResult(f) {
  pending.delete(f.requestId);
}

export function onHostError(f) {
  pending.delete(f.ref);
  banner(hostErrorText(f), 8000);
}

/** Shows a banner; it hides itself after ms (0: stays until closed or replaced). */
export function banner(text, ms = 8000) {
  const id = store.setBanner(text);
  clearTimeout(bannerTimer);
  if (ms) bannerTimer = setTimeout(() => store.clearBanner(id), ms);
}

/** A `reaction` frame: on screen for a few seconds. */
export function onReaction(f) {
  const r = reactionOf(f);
  if (!r) return;
  const p = Array.from(store.get().participants.values()).find((x) => x.participantId === r.participantId);
  const id = store.addReaction(Object.assign({ name: p ? p.displayName : 'Someone' }, r));
  setTimeout(() => store.dropReaction(id), REACTION_MS);
}

function nameOfParticipant(s, participantId) {
  const p = Array.from(s.participants.values()).find((x) => x.participantId === participantId);
  return p ? p.displayName : 'Someone';
}

function button(testid, label, onClick, cls) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.testid = testid;
  b.textContent = label;
  if (cls) b.className = cls;
  b.addEventListener('click', onClick);
  return b;
}

// ---- the per-person menu inside a participant entry

/** Fills (or empties) a participant entry's action holder for the viewer's rights. */
export function renderActions(holder, p, s) {
  const me = store.me();
  const items = menuFor(me.role, p, me.participantId);
  const key = items.map((i) => i.testid + ':' + i.label).join('|');
  if (holder.dataset.key === key) return;
  holder.dataset.key = key;
  holder.replaceChildren(...items.map((i) => {
    const b = button(i.testid, i.label.replace(/ .*$/, ''), () => {
      const fields = Object.assign({ participantId: p.participantId }, i.extra);
      if (i.action === 'mute') fields.allowUnmute = allowUnmute();
      hostAction(i.action, fields);
    }, 'small');
    b.textContent = { 'mute-participant': 'Mute', 'mute-video': 'Stop video', 'make-cohost': 'Make co-host',
      'remove-cohost': 'Remove co-host', kick: 'Remove' }[i.testid] || i.label;
    b.setAttribute('aria-label', i.label);
    b.title = i.label;
    if (i.testid === 'kick') b.classList.add('danger');
    return b;
  }));
  holder.hidden = items.length === 0;
}

function allowUnmute() {
  const c = $('allow-unmute');
  return !c || c.checked;
}

// ---- the host tools (participants panel)

function buildTools(box) {
  const allow = document.createElement('label');
  allow.className = 'check';
  const chk = document.createElement('input');
  chk.type = 'checkbox';
  chk.id = 'allow-unmute';
  chk.dataset.testid = 'allow-unmute';
  chk.checked = true;
  allow.append(chk, ' Let people unmute themselves');
  const row = document.createElement('div');
  row.className = 'host-buttons';
  row.append(
    button('mute-all', 'Mute everyone', () => hostAction('mute-all', { audio: true, allowUnmute: allowUnmute() })),
    button('lock-meeting', 'Lock meeting', () => hostAction(store.get().room.locked ? 'unlock' : 'lock')),
    button('lobby-toggle', 'Lobby', () => hostAction(store.get().room.lobby ? 'lobby-off' : 'lobby-on')),
    button('end-meeting', 'End meeting for everyone', () => hostAction('end'), 'danger'),
  );
  const h = document.createElement('h3');
  h.textContent = 'Host controls';
  box.replaceChildren(h, row, allow);
}

function renderTools(s) {
  const box = $('host-tools');
  const mod = canModerate(store.me().role) && s.view === 'meeting';
  if (!mod) {
    if (box.childElementCount) box.replaceChildren();
    box.hidden = true;
    return;
  }
  if (!box.childElementCount) buildTools(box);
  box.hidden = false;
  const lock = box.querySelector('[data-testid=lock-meeting]');
  lock.setAttribute('aria-pressed', String(s.room.locked));
  lock.textContent = s.room.locked ? 'Unlock meeting' : 'Lock meeting';
  const lobby = box.querySelector('[data-testid=lobby-toggle]');
  lobby.setAttribute('aria-pressed', String(s.room.lobby));
  lobby.textContent = s.room.lobby ? 'Turn the lobby off' : 'Turn the lobby on';
  $('room-flags').textContent = [s.room.locked ? 'locked' : '', s.room.lobby ? 'lobby on' : ''].filter(Boolean).join(', ');
}

// ---- the lobby list (hosts) and the raised hands

const lobbyEntries = new Map(); // participantId -> li

function renderLobby(s) {
  const section = $('lobby-section');
  const list = $('lobby-list');
  const mod = canModerate(store.me().role) && s.view === 'meeting';
  const waiting = mod ? s.waiting : [];
  for (const [id, li] of Array.from(lobbyEntries)) {
    if (!waiting.some((w) => w.participantId === id)) {
      li.remove();
      lobbyEntries.delete(id);
    }
  }
  waiting.forEach((w, i) => {
    let li = lobbyEntries.get(w.participantId);
    if (!li) {
      li = document.createElement('li');
      li.dataset.testid = 'lobby-entry';
      const name = document.createElement('span');
      name.className = 'name';
      const admit = button('lobby-admit', 'Admit', () => hostAction('admit', { participantId: w.participantId }), 'small');
      const deny = button('lobby-deny', 'Deny', () => hostAction('deny', { participantId: w.participantId }), 'small danger');
      li.append(name, admit, deny);
      lobbyEntries.set(w.participantId, li);
    }
    li.dataset.participantName = w.displayName;
    li.querySelector('.name').textContent = w.displayName + (w.role === 'guest' ? ' (guest)' : '');
    li.querySelector('[data-testid=lobby-admit]').setAttribute('aria-label', 'Admit ' + w.displayName);
    li.querySelector('[data-testid=lobby-deny]').setAttribute('aria-label', 'Deny ' + w.displayName);
    if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
  });
  section.hidden = waiting.length === 0;
  $('lobby-count').textContent = String(waiting.length);
  const badge = $('lobby-badge');
  badge.hidden = waiting.length === 0;
  badge.textContent = String(waiting.length);
}

function renderHands(s) {
  const me = store.me();
  const mod = canModerate(me.role) && s.view === 'meeting';
  const hands = s.room.raisedHands;
  const section = $('hands-section');
  const list = $('hands-list');
  if (!mod || hands.length === 0) {
    section.hidden = true;
    if (list.childElementCount) list.replaceChildren();
  } else {
    section.hidden = false;
    const key = hands.map((h) => h + '=' + nameOfParticipant(s, h)).join('|');
    if (list.dataset.key !== key) {
      list.dataset.key = key;
      list.replaceChildren(...hands.map((h) => {
        const li = document.createElement('li');
        li.dataset.testid = 'raised-hand';
        li.dataset.participantName = nameOfParticipant(s, h);
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = nameOfParticipant(s, h);
        const lower = button('lower-hand', 'Lower', () => send(out.lowerHand(meeting.id, h, requestId())), 'small');
        lower.setAttribute('aria-label', 'Lower ' + nameOfParticipant(s, h) + "'s hand");
        li.append(name, lower);
        return li;
      }));
    }
  }
  const raised = !!me.participantId && hands.includes(me.participantId);
  const b = $('raise-hand');
  b.setAttribute('aria-pressed', String(raised));
  b.querySelector('.label').textContent = raised ? 'Lower hand' : 'Raise hand';
  b.title = (raised ? 'Lower your hand' : 'Raise your hand') + ' (H)';
  b.disabled = s.view !== 'meeting';
}

// ---- banner and reactions

// ---- recording: the indicator (everyone) and the record button (hosts and co-hosts, in the toolbar)

function renderRecording(s) {
  const rec = s.room.recording;
  const indicator = $('recording-indicator');
  indicator.hidden = !rec || s.view !== 'meeting';
  const mod = canModerate(store.me().role) && s.view === 'meeting';
  let toggle = $('record-toggle');
  if (!mod) {
    if (toggle) toggle.remove();
    return;
  }
  if (!toggle) {
    toggle = button('record-toggle', '', () => {
      const now = store.get().room.recording;
      hostAction(now ? 'record-stop' : 'record-start');
    }, 'tool');
    toggle.id = 'record-toggle';
    $('leave').before(toggle);
  }
  toggle.setAttribute('aria-pressed', String(!!rec));
  toggle.textContent = rec ? 'Stop recording' : 'Record';
  toggle.title = rec ? 'Stop recording the meeting' : 'Record the meeting (everyone is told)';
}

function renderBanner(s) {
  const el = $('host-banner');
  el.hidden = !s.banner;
  $('host-banner-text').textContent = s.banner ? s.banner.text : '';
  if (s.banner) $('host-announcer').textContent = s.banner.text; // a live region that is never hidden
}

function renderReactions(s) {
  const list = $('reactions');
  const have = new Map(Array.from(list.children).map((li) => [Number(li.dataset.id), li]));
  for (const [id, li] of have) if (!s.reactions.some((r) => r.id === id)) li.remove();
  for (const r of s.reactions) {
    if (have.has(r.id)) continue;
    const li = document.createElement('li');
    li.dataset.id = String(r.id);
    li.dataset.testid = 'reaction';
    li.dataset.participantName = r.name;
    const e = document.createElement('span');
    e.className = 'emoji';
    e.setAttribute('role', 'img');
    e.setAttribute('aria-label', r.label);
    e.textContent = r.emoji;
    const n = document.createElement('span');
    n.className = 'who';
    n.textContent = r.name;
    li.append(e, n);
    list.append(li);
  }
}

function togglePicker(open) {
  const picker = $('reaction-picker');
  const show = open === undefined ? picker.hidden : open;
  picker.hidden = !show;
  $('reactions-toggle').setAttribute('aria-expanded', String(show));
  if (show) picker.querySelector('button').focus();
}

export function initHostUi() {
  $('raise-hand').addEventListener('click', () => {
    const me = store.me();
    const raised = !!me.participantId && store.get().room.raisedHands.includes(me.participantId);
    send(raised ? out.lowerHand(meeting.id, null, requestId()) : out.raiseHand(meeting.id, requestId()));
  });
  const picker = $('reaction-picker');
  picker.replaceChildren(...REACTIONS.map(([name, emoji, label]) => {
    const b = button('reaction-' + name, emoji, () => {
      send(out.reaction(meeting.id, name, requestId()));
      togglePicker(false);
      $('reactions-toggle').focus();
    }, 'emoji-button');
    b.setAttribute('aria-label', label);
    b.title = label;
    return b;
  }));
  $('reactions-toggle').addEventListener('click', () => togglePicker());
  document.addEventListener('click', (ev) => {
    // a click elsewhere closes the picker
    if (!picker.hidden && !picker.contains(ev.target) && !$('reactions-toggle').contains(ev.target)) togglePicker(false);
  });
  picker.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      togglePicker(false);
      $('reactions-toggle').focus();
    }
  });
  $('host-banner-close').addEventListener('click', () => store.clearBanner());
  $('lobby-leave').addEventListener('click', () => $('leave').click());
  for (const topic of ['host', 'participants', 'self', 'view']) {
    store.on(topic, renderTools);
    store.on(topic, renderLobby);
    store.on(topic, renderHands);
    store.on(topic, renderRecording);
  }
  store.on('banner', renderBanner);
  store.on('reactions', renderReactions);
  renderBanner(store.get());
  renderHands(store.get());
}
