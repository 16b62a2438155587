// The meeting page (/j/{code}), entry module: wires the modules together, switches views (pre-join, meeting, left,
// ended, cannot join) and handles the WebSocket frames (docs/protocol.md).
//
//   /j/{code}?name=Alice&autojoin=1   join at once as guest "Alice" (or as the logged-in user)
//   /j/{code}?token=...&autojoin=1    join at once with that token
import * as chat from './chat.js';
import { connection, dropToken, meeting, onFrame, pickInitialToken, start, startPings, stop, leave } from './connection.js';
import { initDevices, restoreDevices } from './devices.js';
import { applyParticipantMedia, participantOf, participantsOfJoined } from './frames.js';
import { fillIcons } from './icons.js';
import { installHook } from './hook.js';
import { activate, media, onMediaError, socketLost, startMedia, stopMedia } from './media.js';
import { onMediaAnswer } from './publish.js';
import { initParticipants } from './participants.js';
import { initPrejoin, prejoinError, showPrejoin } from './prejoin.js';
import { qualityLevel } from './quality.js';
import { initStage } from './stage.js';
import { store } from './state.js';
import { inboundStats, onMediaOffer, resetGone, socketLeft, subscribeCert } from './subscribe.js';
import { onFirstFrame, setNotice, showLocal } from './tiles.js';
import { initToolbar } from './toolbar.js';
import { isPhone } from './layout.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const VIEWS = { prejoin: 'prejoin', meeting: 'meeting-view', left: 'left-view', ended: 'ended-view', fatal: 'fatal-view' };
let guestRenewals = 0;
let speakerSignals = 0;
let noticeTimer = null;

function mediaNotice(text) {
  const el = $('media-notice');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { el.hidden = true; }, 6000);
}

function renderView(s) {
  for (const [view, id] of Object.entries(VIEWS)) {
    const el = $(id);
    if (el) el.hidden = s.view !== view;
  }
  document.body.dataset.view = s.view;
  if (s.view === 'ended') $('ended-reason').textContent = s.viewReason;
  if (s.view === 'fatal') $('fatal-message').textContent = s.viewReason;
}

function renderConnection(s) {
  const el = $('connection');
  el.dataset.state = s.connection;
  el.textContent = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…' }[s.connection] || '';
  $('reconnecting').hidden = !(s.connection === 'reconnecting' && s.view === 'meeting');
}

function renderPanel(s) {
  // a panel that closes with the focus inside gives it back to its toolbar button
  for (const [id, toggle] of [['chat-panel', 'chat-toggle'], ['participants-panel', 'participants-toggle']]) {
    const open = s.panel === id.replace('-panel', '');
    if (!open && !$(id).hidden && $(id).contains(document.activeElement)) $(toggle).focus();
  }
  $('chat-panel').hidden = s.panel !== 'chat';
  $('participants-panel').hidden = s.panel !== 'participants';
  document.body.dataset.panel = s.panel || '';
  if (s.panel === 'chat' && s.view === 'meeting' && !isPhone(window.innerWidth)) {
    // keep the focus where it is unless it was on the toggle: then go on to the message field
    if (document.activeElement === $('chat-toggle')) $('chat-input').focus();
  }
}

// ---- joining and leaving

async function join(name) {
  activate(); // the camera and microphone open while the token and the join travel (reuses the preview's request)
  store.setSelf({ name: connection.name || name });
  store.setView('meeting');
  try {
    await start(name);
  } catch (e) {
    stopMedia();
    store.setView('prejoin');
    if (e.status === 404) {
      store.setView('fatal', 'This meeting does not exist (any more). Check the link, or ask the host for a new one.');
      return;
    }
    showPrejoin({ user: null, name, join });
    prejoinError(e.message);
  }
}

function fatal(message) {
  stop();
  stopMedia();
  store.setView('fatal', message);
}

function ended(reason) {
  stop();
  stopMedia();
  store.setView('ended', reason);
}

function leaveMeeting() {
  leave();
  stopMedia();
  store.setView('left');
}

// ---- frames

onFrame('hello', () => {
  media.joinStartedAt = performance.now();
  media.firstRemoteFrameAt = null;
});

onFrame('joined', (f) => {
  connection.markJoined();
  guestRenewals = 0;
  store.setConnection('connected');
  store.setSpeaker(null);
  const you = participantOf(f.you);
  store.setSelf({ socketId: you ? you.socketId : null, name: you ? you.displayName : store.get().self.name });
  store.setParticipants(participantsOfJoined(f));
  store.setView('meeting');
  startPings();
  resetGone();
  chat.loadHistory().finally(chat.resendPending);
  startMedia().catch((e) => console.warn('media could not start', e));
});

onFrame('participant-joined', (f) => {
  const p = participantOf(f.participant);
  if (!p) return;
  const isNew = store.addParticipant(p);
  if (isNew && p.socketId !== store.get().self.socketId) chat.notice(p.displayName + ' joined');
});

onFrame('participant-left', (f) => {
  const p = participantOf(f.participant);
  if (!p) return;
  store.removeParticipant(p.socketId);
  if (p.socketId === store.get().self.socketId) {
    ended('You were removed from the meeting.');
    return;
  }
  socketLeft(p.socketId);
  chat.notice(p.displayName + ' left');
});

onFrame('chat', (f) => chat.addMessage(f, { live: true }));
onFrame('media-offer', onMediaOffer);
onFrame('media-answer', onMediaAnswer);
onFrame('active-speaker', (f) => {
  speakerSignals += 1;
  store.setSpeaker(typeof f.socketId === 'string' ? f.socketId : null);
});
onFrame('participant-media', (f) => {
  // someone muted or unmuted: shown at once (the next subscribe offer carries the same flags)
  const s = store.get();
  if (f.socketId === s.self.socketId) return;
  const next = applyParticipantMedia(s.tracks, f);
  if (next !== s.tracks) store.setTracks(next);
});
onFrame('socket-closed', socketLost);

onFrame('error', (f) => {
  if (f.ref === 'publish' || f.ref === 'subscribe' || f.ref === 'media') {
    onMediaError(f);
    return;
  }
  if (chat.onChatError(f)) return;
  switch (f.error) {
    case 'unauthorized':
      stop();
      if (connection.tokenKind === 'guest' && connection.name && guestRenewals < 1) {
        // the guest token expired while we were away: get a fresh one with the same name
        guestRenewals++;
        const name = connection.name;
        dropToken();
        join(name);
      } else {
        dropToken();
        stopMedia();
        store.setView('prejoin');
        showPrejoin({ user: null, name: store.get().self.name || '', join });
        prejoinError('Your session has expired. Join with a name, or log in again.');
      }
      break;
    case 'meeting_not_found':
      fatal('This meeting does not exist (any more). Check the link, or ask the host for a new one.');
      break;
    case 'forbidden':
      fatal(f.message || 'You may not join this meeting.');
      break;
    case 'meeting_ended':
      ended('The host has ended this meeting.');
      break;
    case 'rate_limited':
      chat.showError('Slow down a little.');
      break;
    case 'not_joined':
    case 'already_joined':
      break;
    default:
      chat.showError(f.message || f.error || 'Something went wrong.');
  }
});

// ---- connection quality: every 3 s, from the subscribe connection's statistics

let lastStats = {};
setInterval(async () => {
  if (store.get().view !== 'meeting' || !media.subscribePc) return;
  let now;
  try {
    now = await inboundStats();
  } catch (e) {
    return;
  }
  for (const [socketId, st] of Object.entries(now)) store.setQuality(socketId, qualityLevel(lastStats[socketId], st));
  lastStats = now;
}, 3000);

// ---- start

fillIcons();
media.notice = mediaNotice;
setNotice(mediaNotice);
connection.fingerprint = () => subscribeCert.fingerprint;
onFirstFrame(() => { if (media.firstRemoteFrameAt == null) media.firstRemoteFrameAt = performance.now(); });
store.on('view', renderView);
store.on('connection', renderConnection);
store.on('view', renderConnection);
store.on('panel', renderPanel);
store.on('local', () => showLocal(media.localStream));
restoreDevices();
initStage();
chat.initChat();
initParticipants();
initToolbar();
initPrejoin();
initDevices();
installHook(() => speakerSignals);
$('leave').addEventListener('click', leaveMeeting);
$('rejoin').addEventListener('click', () => join(store.get().self.name || connection.name || ''));
$('media-notice').hidden = true;

// chat open by default, except on phone-sized screens (where panels are full-screen sheets)
if (!isPhone(window.innerWidth)) store.openPanel('chat');
pickInitialToken(params);
const autojoin = ['1', 'true', 'yes'].includes((params.get('autojoin') || '').toLowerCase());
const name = (params.get('name') || '').trim();
if (autojoin && (connection.token || name)) {
  $('prejoin').remove();
  join(connection.token ? connection.name : name);
} else {
  store.setView('prejoin');
  showPrejoin({ user: connection.tokenKind === 'user' ? connection.name : null, name, join });
}
renderView(store.get());
renderConnection(store.get());
renderPanel(store.get());
