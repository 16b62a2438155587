// The toolbar: microphone, camera, screen, chat, participants, layout, copy link, stats, settings, help, leave — icons
// with labels and tooltips — and the keyboard shortcuts listed in the help dialog.
import { meeting } from './connection.js';
import { icon } from './icons.js';
import { isPhone } from './layout.js';
import { setSource, toggleScreen } from './media.js';
import { PANELS, store } from './state.js';

const $ = (id) => document.getElementById(id);

/** key → [what it does, action]; shown in the help dialog in this order. */
const SHORTCUTS = [
  ['m', 'Mute or unmute the microphone', () => clickIfEnabled('mic-toggle')],
  ['v', 'Start or stop the camera', () => clickIfEnabled('cam-toggle')],
  ['s', 'Share the screen or stop sharing', () => clickIfEnabled('screen-toggle')],
  ['c', 'Open or close the chat', () => togglePanel('chat')],
  ['p', 'Open or close the participants', () => togglePanel('participants')],
  ['h', 'Raise or lower your hand', () => clickIfEnabled('raise-hand')],
  ['r', 'Send a reaction', () => clickIfEnabled('reactions-toggle')],
  ['g', 'Switch between grid and speaker view', () => store.toggleMode()],
  ['u', 'Unpin the pinned tile', () => { if (store.get().layout.pinned) store.togglePin(store.get().layout.pinned); }],
  ['k', 'Copy the meeting link', () => copyLink()],
  ['i', 'Show or hide the media statistics', () => clickIfEnabled('stats-toggle')],
  ['?', 'Show these shortcuts', () => openDialog('help-dialog')],
  ['Escape', 'Close a panel or dialog', () => closeFocusedPanel()],
];

/** A phone-sized screen shows one panel at a time (a full-screen sheet); a wider one stacks both in its side column. */
function togglePanel(name) {
  store.togglePanel(name, isPhone(window.innerWidth));
}

/** Escape: the panel the focus is in, else the one opened last. */
function closeFocusedPanel() {
  const focused = PANELS.find((name) => $(name + '-panel').contains(document.activeElement));
  store.closePanel(focused);
}

function clickIfEnabled(id) {
  const b = $(id);
  if (b && !b.disabled) b.click();
}

export function joinLink() {
  return location.origin + '/j/' + encodeURIComponent(meeting.code);
}

function say(text) {
  const el = $('copy-status');
  el.textContent = text;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { el.textContent = ''; }, 4000);
}

/** Copies the meeting link (the Clipboard API, else a selected text field and execCommand) and says so. */
export async function copyLink() {
  const link = joinLink();
  try {
    if (!navigator.clipboard || !navigator.clipboard.writeText) throw new Error('no clipboard API');
    await navigator.clipboard.writeText(link);
    say('Meeting link copied');
    return;
  } catch (e) {
    // not a secure context, or the permission was refused: the older way
  }
  const field = document.createElement('textarea');
  field.value = link;
  field.setAttribute('readonly', '');
  field.className = 'visually-hidden';
  document.body.appendChild(field);
  field.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  field.remove();
  say(ok ? 'Meeting link copied' : 'Copy this link: ' + link);
}

/** A host turned this off without letting us turn it on: say so instead. */
function lockedNotice(what) {
  say('A host turned off your ' + what + '; only a host can let you turn it on.');
}

function openDialog(id) {
  const d = $(id);
  if (d && !d.open && d.showModal) d.showModal();
}

function setTool(id, { pressed, label, disabled }) {
  const b = $(id);
  if (!b) return;
  if (pressed !== undefined) {
    b.setAttribute('aria-pressed', String(!!pressed));
    b.dataset.state = pressed ? 'on' : 'off';
  }
  if (disabled !== undefined) b.disabled = disabled;
  if (label !== undefined) {
    b.querySelector('.label').textContent = label;
    b.title = label + (b.dataset.key ? ' (' + b.dataset.key.toUpperCase() + ')' : '');
  }
}

function setIcon(id, name) {
  const holder = $(id).querySelector('[data-icon]');
  if (holder && holder.dataset.icon !== name) {
    holder.dataset.icon = name;
    holder.replaceChildren(icon(name));
  }
}

function renderLocal(s) {
  const l = s.local;
  const joined = s.view === 'meeting';
  setTool('mic-toggle', { pressed: l.micOn && l.hasMic, disabled: !l.hasMic,
    label: !l.hasMic ? 'No microphone' : l.micOn ? 'Mute' : 'Unmute' });
  setIcon('mic-toggle', l.micOn && l.hasMic ? 'mic' : 'micOff');
  setTool('cam-toggle', { pressed: l.camOn && l.hasCam, disabled: !l.hasCam,
    label: !l.hasCam ? 'No camera' : l.camOn ? 'Stop video' : 'Start video' });
  setIcon('cam-toggle', l.camOn && l.hasCam ? 'cam' : 'camOff');
  const canShare = !!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia) && joined;
  setTool('screen-toggle', { pressed: l.sharing, disabled: !canShare, label: l.sharing ? 'Stop sharing' : 'Share screen' });
}

function renderPanels(s) {
  setTool('chat-toggle', { pressed: s.panels.chat });
  setTool('participants-toggle', { pressed: s.panels.participants });
  const badge = $('chat-unread');
  badge.hidden = s.unread === 0;
  badge.textContent = s.unread > 99 ? '99+' : String(s.unread);
  $('chat-toggle').setAttribute('aria-label', 'Chat' + (s.unread ? ', ' + s.unread + ' unread' : ''));
}

function renderMode(s) {
  const speaker = s.layout.mode === 'speaker';
  setTool('view-toggle', { pressed: speaker, label: speaker ? 'Grid view' : 'Speaker view' });
  setIcon('view-toggle', speaker ? 'grid' : 'speaker');
}

function typing(target) {
  return !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function initToolbar() {
  $('mic-toggle').addEventListener('click', () => {
    const s = store.get();
    if (!s.local.micOn && s.hostMute.audioLocked) return lockedNotice('microphone');
    setSource('microphone', !s.local.micOn);
  });
  $('cam-toggle').addEventListener('click', () => {
    const s = store.get();
    if (!s.local.camOn && s.hostMute.videoLocked) return lockedNotice('camera');
    setSource('camera', !s.local.camOn);
  });
  $('screen-toggle').addEventListener('click', () => toggleScreen());
  $('chat-toggle').addEventListener('click', () => togglePanel('chat'));
  $('participants-toggle').addEventListener('click', () => togglePanel('participants'));
  $('view-toggle').addEventListener('click', () => store.toggleMode());
  $('copy-link').addEventListener('click', () => copyLink());
  $('settings-open').addEventListener('click', () => openDialog('settings-dialog'));
  $('help-open').addEventListener('click', () => openDialog('help-dialog'));
  for (const d of document.querySelectorAll('dialog')) {
    d.querySelector('.dialog-close').addEventListener('click', () => d.close());
  }
  for (const b of document.querySelectorAll('.panel-close')) {
    b.addEventListener('click', () => store.closePanel(b.closest('.panel').id.replace('-panel', '')));
  }
  const rows = SHORTCUTS.map(([key, what]) => {
    const tr = document.createElement('tr');
    const k = document.createElement('td');
    const kbd = document.createElement('kbd');
    kbd.textContent = key === 'Escape' ? 'Esc' : key.toUpperCase();
    k.append(kbd);
    const w = document.createElement('td');
    w.textContent = what;
    tr.append(k, w);
    return tr;
  });
  $('shortcut-list').replaceChildren(...rows);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && typing(ev.target) && !ev.defaultPrevented && !document.querySelector('dialog[open]')
        && PANELS.some((name) => $(name + '-panel').contains(ev.target))) {
      ev.preventDefault();   // typing in a panel (the message field): Escape still closes that panel
      closeFocusedPanel();
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented || typing(ev.target)) return;
    if (store.get().view !== 'meeting' || document.querySelector('dialog[open]')) return;
    const key = ev.key === 'Escape' ? 'Escape' : String(ev.key || '').toLowerCase();
    const s = SHORTCUTS.find(([k]) => k === key);
    if (!s) return;
    ev.preventDefault();
    s[2]();
  });
  store.on('local', renderLocal);
  store.on('view', renderLocal);
  store.on('panel', renderPanels);
  store.on('unread', renderPanels);
  store.on('layout', renderMode);
  renderLocal(store.get());
  renderPanels(store.get());
  renderMode(store.get());
}
