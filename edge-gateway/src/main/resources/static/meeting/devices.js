// Camera, microphone and loudspeaker pickers (on the pre-join screen and in the settings dialog). A choice
// switches the device during the call without renegotiating (media.switchDevice → replaceTrack; the
// loudspeaker through setSinkId) and is remembered in localStorage for the next meeting.
import { CAMERA_SIZE, media, switchDevice } from './media.js';
import { store } from './state.js';
import { setSpeakerDevice } from './tiles.js';

const KEY = 'rendezvous.devices';
const KINDS = ['audioinput', 'videoinput', 'audiooutput'];
const NAMES = { audioinput: 'Microphone', videoinput: 'Camera', audiooutput: 'Speaker' };

function load() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || '{}');
    return v && typeof v === 'object' ? v : {};
  } catch (e) {
    return {};
  }
}

function save() {
  try {
    localStorage.setItem(KEY, JSON.stringify(store.get().devices));
  } catch (e) { /* storage off: not remembered */ }
}

/** The remembered devices become the store's choice and the first getUserMedia's preference (ideal, not exact). */
export function restoreDevices() {
  const saved = load();
  for (const kind of KINDS) if (typeof saved[kind] === 'string') store.setDevice(kind, saved[kind]);
  const d = store.get().devices;
  media.constraints = {
    audio: d.audioinput ? { deviceId: { ideal: d.audioinput } } : true,
    video: Object.assign({}, CAMERA_SIZE, d.videoinput ? { deviceId: { ideal: d.videoinput } } : {}),
  };
  if (d.audiooutput) setSpeakerDevice(d.audiooutput);
}

async function refill() {
  const md = navigator.mediaDevices;
  if (!md || !md.enumerateDevices) return;
  let list = [];
  try {
    list = await md.enumerateDevices();
  } catch (e) {
    return;
  }
  const chosen = store.get().devices;
  const inUse = {
    audioinput: trackDevice('audio'),
    videoinput: trackDevice('video'),
  };
  for (const select of document.querySelectorAll('select.device-picker')) {
    const kind = select.dataset.kind;
    const devices = list.filter((d) => d.kind === kind && d.deviceId);
    const options = devices.map((d, i) => {
      const o = document.createElement('option');
      o.value = d.deviceId;
      o.textContent = d.label || NAMES[kind] + ' ' + (i + 1);
      return o;
    });
    if (!options.length) {
      const o = document.createElement('option');
      o.value = '';
      o.textContent = kind === 'audiooutput' ? 'Default speaker' : 'No ' + NAMES[kind].toLowerCase() + ' found';
      options.push(o);
    }
    select.replaceChildren(...options);
    const want = inUse[kind] || chosen[kind];
    if (want && devices.some((d) => d.deviceId === want)) select.value = want;
    select.disabled = !devices.length;
  }
}

function trackDevice(kind) {
  const s = media.localStream;
  const t = s && (kind === 'audio' ? s.getAudioTracks() : s.getVideoTracks())[0];
  return t && t.getSettings ? t.getSettings().deviceId || '' : '';
}

async function choose(kind, id) {
  store.setDevice(kind, id);
  save();
  if (kind === 'audiooutput') setSpeakerDevice(id);
  else await switchDevice(kind === 'audioinput' ? 'audio' : 'video', id);
  refill();
}

export function initDevices() {
  for (const select of document.querySelectorAll('select.device-picker')) {
    select.addEventListener('change', () => choose(select.dataset.kind, select.value));
  }
  const md = navigator.mediaDevices;
  if (md && md.addEventListener) md.addEventListener('devicechange', refill);
  store.on('local', refill); // labels are there once the camera and microphone were allowed
  // a loudspeaker choice needs setSinkId
  const canPickSpeaker = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  for (const el of document.querySelectorAll('.speaker-picker')) el.hidden = !canPickSpeaker;
  refill();
}
