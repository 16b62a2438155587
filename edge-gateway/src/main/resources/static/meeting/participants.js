// The participants panel: one entry per person (data-testid="participant", with data-participant-name and
// data-participant-role), with a muted-microphone icon from the latest subscribe offer's track flags. Entries are
// kept and updated in place (keyed by socket), so a change never replaces the element of someone still there.
// A raised hand shows as ✋; a host's or co-host's view holds the person's menu (hostui.js) inside the entry.
import { mediaStateOf } from './frames.js';
import { renderActions } from './hostui.js';
import { icon } from './icons.js';
import { store } from './state.js';

const $ = (id) => document.getElementById(id);
const entries = new Map(); // socketId -> { li, name, role, muted, hand, actions }

function entry(p) {
  let e = entries.get(p.socketId);
  if (e) return e;
  const li = document.createElement('li');
  li.dataset.testid = 'participant';
  li.dataset.socketId = p.socketId;
  const name = document.createElement('span');
  name.className = 'name';
  const role = document.createElement('span');
  role.className = 'role';
  const muted = document.createElement('span');
  muted.className = 'muted-icon';
  muted.setAttribute('role', 'img');
  muted.setAttribute('aria-label', 'microphone muted');
  muted.append(icon('micOff'));
  const hand = document.createElement('span');
  hand.className = 'hand';
  hand.dataset.testid = 'hand-raised';
  hand.setAttribute('role', 'img');
  hand.setAttribute('aria-label', 'hand raised');
  hand.textContent = '✋';
  const actions = document.createElement('span');
  actions.className = 'person-actions';
  actions.hidden = true;
  li.append(name, ' ', role, hand, muted, actions);
  e = { li, name, role, muted, hand, actions };
  entries.set(p.socketId, e);
  return e;
}

function render(s) {
  const list = $('participants');
  const people = Array.from(s.participants.values());
  for (const [socketId, e] of Array.from(entries)) {
    if (!s.participants.has(socketId)) {
      e.li.remove();
      entries.delete(socketId);
    }
  }
  people.forEach((p, i) => {
    const e = entry(p);
    const you = p.socketId === s.self.socketId;
    if (e.li.dataset.participantName !== p.displayName) e.li.dataset.participantName = p.displayName;
    e.li.dataset.participantId = p.participantId;
    e.li.dataset.participantRole = p.role;
    e.name.textContent = p.displayName;
    e.role.textContent = [p.role === 'host' ? 'host' : p.role === 'cohost' ? 'co-host' : p.role === 'guest' ? 'guest' : '',
      you ? 'you' : ''].filter(Boolean).join(', ');
    e.hand.hidden = !s.room.raisedHands.includes(p.participantId);
    renderActions(e.actions, p, s);
    e.muted.hidden = !(you ? !(s.local.micOn && s.local.hasMic) : mediaStateOf(s.tracks, p.socketId).audioMuted);
    if (list.children[i] !== e.li) list.insertBefore(e.li, list.children[i] || null);
  });
  $('participants-count').textContent = String(people.length);
  $('people-count').textContent = String(people.length);
}

export function initParticipants() {
  for (const topic of ['participants', 'tracks', 'local', 'self', 'host']) store.on(topic, render);
}
