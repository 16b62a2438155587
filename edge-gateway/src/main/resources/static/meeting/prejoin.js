// The pre-join screen (data-testid="prejoin"): a camera preview, the name (for guests), microphone and camera
// toggles, device pickers and "Join now". ?autojoin=1 skips it. When the browser refuses the camera, it says how
// to allow it, and joining without camera still works.
import { activate, media, setSource } from './media.js';
import { store } from './state.js';
import { scheduleText } from './schedule.js';

const $ = (id) => document.getElementById(id);
let onJoin = () => {};

function renderLocal(s) {
  if (!$('prejoin')) return; // removed with ?autojoin=1
  const l = s.local;
  const mic = $('prejoin-mic');
  const cam = $('prejoin-cam');
  mic.setAttribute('aria-pressed', String(l.micOn && l.hasMic));
  mic.querySelector('.label').textContent = !l.hasMic ? 'No microphone' : l.micOn ? 'Microphone on' : 'Microphone off';
  mic.disabled = !l.hasMic;
  cam.setAttribute('aria-pressed', String(l.camOn && l.hasCam));
  cam.querySelector('.label').textContent = !l.hasCam ? 'No camera' : l.camOn ? 'Camera on' : 'Camera off';
  cam.disabled = !l.hasCam;
  const preview = $('prejoin-video');
  const track = media.localStream && media.localStream.getVideoTracks()[0];
  const current = preview.srcObject && preview.srcObject.getVideoTracks()[0];
  if (track !== current) {
    preview.srcObject = track ? new MediaStream([track]) : null;
    if (track) preview.play().catch(() => {});
  }
  $('prejoin-preview').classList.toggle('video-off', !(l.camOn && l.hasCam));
  const err = media.gumError;
  const denied = !!err && (err.name === 'NotAllowedError' || err.name === 'SecurityError');
  $('camera-denied').hidden = !denied;
  $('camera-missing').hidden = !err || denied;
  if (err && !denied) $('camera-missing-reason').textContent = err.message || err.name || 'unknown error';
}

/**
 * Shows the pre-join screen. `user` is the signed-in person's name (no name field then), `name` a suggested guest
 * name; `join(name)` is called with the name when the person presses "Join now".
 */
export function showPrejoin({ user, name, join }) {
  onJoin = join;
  const schedule = $('prejoin-schedule');
  schedule.textContent = scheduleText(schedule.dataset.startsAt);
  schedule.hidden = !schedule.textContent;
  $('join-as-user').hidden = !user;
  $('join-user-name').textContent = user || '';
  $('join-name-label').hidden = !!user;
  $('join-name').required = !user;
  if (!user && !$('join-name').value) $('join-name').value = name || '';
  if (!user) $('join-name').focus();
  else $('join-now').focus();
  activate().then(() => renderLocal(store.get()));
}

export function prejoinError(text) {
  $('join-error').textContent = text || '';
}

export function initPrejoin() {
  $('prejoin-mic').addEventListener('click', () => setSource('microphone', !store.get().local.micOn));
  $('prejoin-cam').addEventListener('click', () => setSource('camera', !store.get().local.camOn));
  $('camera-retry').addEventListener('click', () => {
    media.gumPromise = null;
    media.gumError = null;
    activate().then(() => renderLocal(store.get()));
  });
  $('join-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const user = !$('join-as-user').hidden;
    const name = $('join-name').value.trim();
    if (!user && !name) {
      prejoinError('Enter your name.');
      $('join-name').focus();
      return;
    }
    prejoinError('');
    onJoin(name);
  });
  store.on('local', renderLocal);
}
