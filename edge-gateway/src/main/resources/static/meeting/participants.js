// The participants panel: one entry per person (data-testid="participant", with data-participant-name and
// data-participant-role), with a muted-microphone icon from the latest subscribe offer's track flags.
import { mediaStateOf } from './frames.js';
import { icon } from './icons.js';
import { store } from './state.js';

const $ = (id) => document.getElementById(id);

function render(s) {
  const list = $('participants');
  const people = Array.from(s.participants.values());
  const items = people.map((p) => {
    const you = p.socketId === s.self.socketId;
    const li = document.createElement('li');
    li.dataset.testid = 'participant';
    li.dataset.participantName = p.displayName;
    li.dataset.participantId = p.participantId;
    li.dataset.participantRole = p.role;
    li.dataset.socketId = p.socketId;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = p.displayName;
    li.append(name);
    const tags = [p.role === 'host' ? 'host' : p.role === 'cohost' ? 'co-host' : p.role === 'guest' ? 'guest' : '',
      you ? 'you' : ''].filter(Boolean).join(', ');
    if (tags) {
      const role = document.createElement('span');
      role.className = 'role';
      role.textContent = tags;
      li.append(' ', role);
    }
    const muted = you ? !(s.local.micOn && s.local.hasMic) : mediaStateOf(s.tracks, p.socketId).audioMuted;
    if (muted) {
      const m = document.createElement('span');
      m.className = 'muted-icon';
      m.setAttribute('role', 'img');
      m.setAttribute('aria-label', 'microphone muted');
      m.append(icon('micOff'));
      li.append(m);
    }
    return li;
  });
  list.replaceChildren(...items);
  $('participants-count').textContent = String(people.length);
  $('people-count').textContent = String(people.length);
}

export function initParticipants() {
  for (const topic of ['participants', 'tracks', 'local', 'self']) store.on(topic, render);
}
