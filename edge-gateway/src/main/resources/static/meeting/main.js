// The meeting page (/j/{code}), entry module: wires the modules together, switches views (pre-join, meeting, left,
// ended, cannot join) and handles the WebSocket frames (docs/protocol.md).
//
//   /j/{code}?name=Alice&autojoin=1   join at once as guest "Alice" (or as the logged-in user)
//   /j/{code}?token=...&autojoin=1    join at once with that token
import * as chat from './chat.js';
import { connection, dropToken, meeting, onFrame, pickInitialToken, start, startPings, stop, leave } from './connection.js';
import { initDevices, restoreDevices } from './devices.js';
import { applyParticipantMedia, participantOf, participantsOfJoined } from './frames.js';
import { endedText, mutedText, roleChangeText } from './host.js';
import { banner, initHostUi, isHostRequest, onHostError, onHostResult, onReaction } from './hostui.js';
import { fillIcons } from './icons.js';
import { installHook } from './hook.js';
import { activate, media, mediaMoved, onMediaError, setSource, socketLost, startMedia, stopMedia } from './media.js';
import { onMediaAnswer } from './publish.js';
import { initParticipants } from './participants.js';
import { initPrejoin, prejoinError, showPrejoin } from './prejoin.js';
import { qualityLevel } from './quality.js';
import { initRecordings, recordingsAfterJoin } from './recordings.js';
import { initStage } from './stage.js';
import { initStatsOverlay } from './statsoverlay.js';
import { initViewSize } from './viewsize.js';
import { PANELS, store } from './state.js';
import { inboundStats, onMediaOffer, resetGone, socketLeft, subscribeCert } from './subscribe.js';
import { onFirstFrame, setNotice, showLocal } from './tiles.js';
import { initToolbar } from './toolbar.js';
import { isPhone } from './layout.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const VIEWS = { prejoin: 'prejoin', lobby: 'lobby-view', meeting: 'meeting-view', left: 'left-view', ended: 'ended-view', fatal: 'fatal-view' };
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

let chatWasOpen = false;
/** Below this height a wide window starts with the chat alone: the two panels would leave the participants a sliver. */
const SHORT_WINDOW = 480;

function renderPanel(s) {
  // a panel that closes with the focus inside gives it back to its toolbar button
  for (const name of PANELS) {
    const panel = $(name + '-panel');
    if (!s.panels[name] && !panel.hidden && panel.contains(document.activeElement)) $(name + '-toggle').focus();
    panel.hidden = !s.panels[name];
  }
  const open = store.openPanels();
  $('side').hidden = open.length === 0;
  document.body.dataset.panel = open.join(' ');
  const chatOpened = s.panels.chat && !chatWasOpen;
  chatWasOpen = s.panels.chat;
  if (chatOpened && s.view === 'meeting' && !isPhone(window.innerWidth)) {
    // keep the focus where it is unless it was on the toggle: then go on to the message field
    if (document.activeElement === $('chat-toggle')) $('chat-input').focus();
  }
}

/** Narrowed to a phone-sized screen with both panels open: one full-screen sheet, the one opened last. */
function onePanelOnAPhone() {
  const open = store.openPanels();
  if (isPhone(window.innerWidth) && open.length > 1) store.openPanel(open[open.length - 1], true);
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
    if (e.status === 404) {
      store.setView('fatal', 'This meeting does not exist (any more). Check the link, or ask the host for a new one.');
      return;
    }
    backToPrejoin(name, e.message);
  }
}

// ?autojoin=1 takes the pre-join screen out of the page (it is absent then); a join that fails brings it back, with
// the reason, so that the person can join another way (a name, logging in) instead of facing an empty page
let prejoinPlace = null;

function removePrejoin() {
  const el = $('prejoin');
  prejoinPlace = { el, parent: el.parentNode, next: el.nextSibling };
  el.remove();
}

function backToPrejoin(name, error) {
  if (prejoinPlace && !prejoinPlace.el.isConnected) {
    prejoinPlace.parent.insertBefore(prejoinPlace.el, prejoinPlace.next);
  }
  store.setView('prejoin');
  showPrejoin({ user: null, name, join });
  prejoinError(error);
}

function fatal(message) {
  stop();
  stopMedia();
  store.setView('fatal', message);
}

function ended(reason) {
  stop();
  stopMedia();
  store.resetHost();
  store.clearBanner();
  store.setView('ended', reason);
}

function leaveMeeting() {
  leave();
  stopMedia();
  store.resetHost();
  store.setView('left');
}

function personOf(participantId) {
  return Array.from(store.get().participants.values()).find((p) => p.participantId === participantId) || null;
}

// ---- frames

onFrame('hello', () => {
  media.joinStartedAt = performance.now();
  media.firstRemoteFrameAt = null;
});

onFrame('joined', (f) => {
  const again = participantOf(f.you);
  if (again && again.socketId && store.get().view === 'meeting' && again.socketId === store.get().self.socketId) {
    // the same join repeated (the room processor re-sends a replayed JOIN's effects): refresh, restart nothing
    store.setParticipants(participantsOfJoined(f));
    store.setRoom(f.room);
    return;
  }
  const rejoined = connection.markJoined();
  guestRenewals = 0;
  store.setConnection('connected');
  store.setSpeaker(null);
  const you = participantOf(f.you);
  store.setSelf({ socketId: you ? you.socketId : null, name: you ? you.displayName : store.get().self.name });
  store.setParticipants(participantsOfJoined(f));
  store.setRoom(f.room);
  store.setWaiting([]);
  if (store.get().view === 'lobby') banner('You are in the meeting.', 5000);
  store.setView('meeting');
  startPings();
  resetGone();
  chat.afterJoin(rejoined);
  recordingsAfterJoin();
  startMedia().catch((e) => console.warn('media could not start', e));
});

onFrame('participant-joined', (f) => {
  const p = participantOf(f.participant);
  if (!p) return;
  // someone's page reconnected on a new socket (maybe through another gateway): the old one goes, without notices
  const replaced = typeof f.replaces === 'string' && f.replaces !== p.socketId ? f.replaces : null;
  if (replaced && store.removeParticipant(replaced)) socketLeft(replaced);
  const isNew = store.addParticipant(p);
  if (isNew && !replaced && p.socketId !== store.get().self.socketId) chat.notice(p.displayName + ' joined');
});

onFrame('participant-left', (f) => {
  const p = participantOf(f.participant);
  if (!p) return;
  const had = store.removeParticipant(p.socketId);
  if (p.socketId === store.get().self.socketId) {
    ended(endedText('removed', { type: 'removed' }));
    return;
  }
  if (!had) return;   // already gone (a repeated leave)
  socketLeft(p.socketId);
  chat.notice(p.displayName + ' left');
});

onFrame('chat', (f) => chat.addMessage(f, { live: true }));
onFrame('media-offer', onMediaOffer);
onFrame('media-answer', onMediaAnswer);
onFrame('media-moved', () => {
  if (mediaMoved()) media.notice('Moving your call to another media server…');
});
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

// ---- host controls (docs/protocol.md, "Host controls")

onFrame('lobby', () => store.setView('lobby'));
onFrame('lobby-changed', (f) => {
  const before = new Set(store.get().waiting.map((w) => w.participantId));
  store.setWaiting(f.waiting);
  const added = store.get().waiting.filter((w) => !before.has(w.participantId));
  if (added.length) banner(added.map((w) => w.displayName).join(', ') + (added.length > 1 ? ' are' : ' is') + ' waiting in the lobby.', 10000);
});
onFrame('room-state', (f) => store.setRoom(f.room));
onFrame('role-changed', (f) => {
  const p = personOf(f.participantId);
  const self = f.participantId === store.me().participantId;
  store.roleChanged(f);
  banner(roleChangeText(f, p ? p.displayName : '', self), 8000);
});
onFrame('removed', (f) => ended(endedText('removed', f)));
onFrame('meeting-ended', (f) => ended(endedText('meeting-ended', f)));
onFrame('muted-by-host', (f) => {
  store.hostMuted(f);
  const l = store.get().local;
  if (f.audio === true && l.micOn) setSource('microphone', false);
  if (f.video === true && l.camOn) setSource('camera', false);
  const by = personOf(f.by);
  banner(mutedText(f, by ? by.displayName : ''), 0);
});
onFrame('hand', (f) => {
  const wasRaised = store.get().room.raisedHands.includes(f.participantId);
  store.handChanged(f);
  const me = store.me();
  const p = personOf(f.participantId);
  if (f.raised === true && !wasRaised && f.participantId !== me.participantId && (me.role === 'host' || me.role === 'cohost')) {
    banner((p ? p.displayName : 'Someone') + ' raised their hand.', 6000);
  }
  if (f.raised === false && wasRaised && f.participantId === me.participantId && f.by && f.by !== me.participantId) {
    banner('A host lowered your hand.', 6000);
  }
});
onFrame('reaction', onReaction);
onFrame('host-result', onHostResult);

onFrame('error', (f) => {
  if (isHostRequest(f.ref)) {
    onHostError(f);
    return;
  }
  if (f.error === 'unmute_not_allowed') {
    // the host muted us without letting us unmute: back to muted, and say why
    const s = store.get();
    if (s.hostMute.audioLocked && s.local.micOn) setSource('microphone', false);
    if (s.hostMute.videoLocked && s.local.camOn) setSource('camera', false);
    banner('A host turned this off; only a host can let you turn it on again.', 8000);
    return;
  }
  if (f.ref === 'publish' || f.ref === 'subscribe' || f.ref === 'media') {
    onMediaError(f);
    return;
  }
  if (chat.onChatError(f)) return;
  switch (f.error) {
    case 'unauthorized': {
      stop();
      // a token logged out (here or in another tab) or a deleted account: signed out, never renewed behind one's back
      const signedOut = /revoked|no longer exists/.test(f.message || '');
      if (!signedOut && connection.tokenKind === 'guest' && connection.name && guestRenewals < 1) {
        // the guest token expired while we were away: get a fresh one with the same name
        guestRenewals++;
        const name = connection.name;
        dropToken();
        join(name);
      } else {
        dropToken();
        stopMedia();
        const why = signedOut ? 'You were signed out.' : 'Your session has expired.';
        backToPrejoin(store.get().self.name || '', why + ' Join with a name, or log in again.');
      }
      break;
    }
    case 'meeting_not_found':
      fatal('This meeting does not exist (any more). Check the link, or ask the host for a new one.');
      break;
    case 'forbidden':
      if (f.ref && f.ref !== meeting.id) {
        banner('Only a host can do that.', 8000); // a host control of ours (not a join) was refused
        break;
      }
      fatal(f.message || 'You may not join this meeting.');
      break;
    case 'meeting_ended':
      ended(endedText('meeting_ended', f));
      break;
    case 'removed':
      ended(endedText('removed', f));
      break;
    case 'denied':
      ended(endedText('denied', f));
      break;
    case 'meeting_locked':
      fatal('This meeting is locked: nobody new can join now. Ask the host to unlock it.');
      break;
    case 'lobby_full':
      fatal('Too many people are waiting in the lobby. Try again in a while.');
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
initViewSize();
chat.initChat();
initParticipants();
initToolbar();
initStatsOverlay();
initHostUi();
initRecordings();
initPrejoin();
initDevices();
installHook(() => speakerSignals);
$('leave').addEventListener('click', leaveMeeting);
$('rejoin').addEventListener('click', () => join(store.get().self.name || connection.name || ''));
$('media-notice').hidden = true;

// On a wider screen both side panels start open, so everything on the page is in view without a click: the people
// (with a host's controls) above the chat. Phone-sized screens start with both closed (each a full-screen sheet).
if (!isPhone(window.innerWidth)) {
  if (window.innerHeight >= SHORT_WINDOW) store.openPanel('participants');   // not in a short one (a phone held sideways)
  store.openPanel('chat');
}
window.addEventListener('resize', onePanelOnAPhone);
pickInitialToken(params);
const autojoin = ['1', 'true', 'yes'].includes((params.get('autojoin') || '').toLowerCase());
const name = (params.get('name') || '').trim();
if (autojoin && (connection.token || name)) {
  removePrejoin();
  join(connection.token ? connection.name : name);
} else {
  store.setView('prejoin');
  showPrejoin({ user: connection.tokenKind === 'user' ? connection.name : null, name, join });
}
renderView(store.get());
renderConnection(store.get());
renderPanel(store.get());
