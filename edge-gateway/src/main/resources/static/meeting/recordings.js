// The meeting's recordings on the meeting page (data-testid="recordings", in the participants panel, open unless the
// person folds it): for everyone admitted into the meeting (the gateway checks), loaded after each `joined`, when the
// section is unfolded and whenever a recording starts or stops (its files take a moment: reloaded a few times while
// any is still "processing"; a refusal right after the join, before the gateway has written the admission down, is
// asked again too).
import { fileLabel, formatBytes, recordingStatus, recordingsOutcome } from '../home-model.mjs';
import { connection, meeting } from './connection.js';
import { store } from './state.js';

const $ = (id) => document.getElementById(id);
const RELOADS_WHILE_PROCESSING = 6;
const RELOAD_MS = 5000;
let lastRecording = null;
let reloads = 0;
let reloadTimer = null;

function item(rec) {
  const li = document.createElement('li');
  li.dataset.testid = 'recording';
  li.dataset.recordingId = rec.recordingId;
  const head = document.createElement('span');
  const when = rec.startedAt ? new Date(rec.startedAt).toLocaleTimeString() : '';
  head.textContent = [when, recordingStatus(rec)].filter(Boolean).join(' · ');
  li.append(head);
  const files = (rec.files || []).filter((f) => typeof f.url === 'string' && f.url.startsWith('http'));
  if (files.length) {
    const ul = document.createElement('ul');
    for (const f of files) {
      const fl = document.createElement('li');
      const a = document.createElement('a');
      a.href = f.url;
      a.rel = 'noopener';
      a.target = '_blank';
      a.dataset.testid = 'recording-link';
      a.textContent = fileLabel(f);
      fl.append(a);
      if (Number.isFinite(f.sizeBytes)) fl.append(' (' + formatBytes(f.sizeBytes) + ')');
      ul.append(fl);
    }
    li.append(ul);
  }
  return li;
}

/**
 * Loads the list into the section; answers 'busy' while a recording is still being processed, 'refused' when the
 * list could not be read, else 'done'.
 */
export async function loadRecordings() {
  const body = $('recordings-body');
  let outcome;
  try {
    const res = await fetch('/api/v1/meetings/' + encodeURIComponent(meeting.id) + '/recordings',
      { headers: { Authorization: 'Bearer ' + connection.token } });
    outcome = recordingsOutcome(res.status, await res.json().catch(() => null));
  } catch (e) {
    outcome = { message: 'Could not load the recordings.' };
  }
  if (outcome.message) {
    body.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: outcome.message }));
    return 'refused';
  }
  if (outcome.recordings.length === 0) {
    const p = Object.assign(document.createElement('p'), { className: 'hint', textContent: 'No recordings yet' });
    p.dataset.testid = 'no-recordings';
    body.replaceChildren(p);
    return 'done';
  }
  const ul = document.createElement('ul');
  ul.className = 'recording-list';
  ul.append(...outcome.recordings.map(item));
  body.replaceChildren(ul);
  return outcome.recordings.some((r) => r.status === 'processing' || r.status === 'recording') ? 'busy' : 'done';
}

function scheduleReloads() {
  clearTimeout(reloadTimer);
  reloads = 0;
  const again = async () => {
    if ($('recordings').hidden || !connection.joined) return;
    const state = await loadRecordings();
    if (state !== 'done' && ++reloads < RELOADS_WHILE_PROCESSING) reloadTimer = setTimeout(again, RELOAD_MS);
  };
  reloadTimer = setTimeout(again, 500);
}

function render(s) {
  const section = $('recordings');
  section.hidden = s.view !== 'meeting';
  const now = s.room.recording ? s.room.recording.recordingId : null;
  if (now !== lastRecording) {
    lastRecording = now;
    if (!section.hidden) scheduleReloads();
  }
}

/** After every `joined` (the first and each re-join): the list as it is now. */
export function recordingsAfterJoin() {
  scheduleReloads();
}

export function initRecordings() {
  const section = $('recordings');
  section.addEventListener('toggle', () => {
    if (section.open) scheduleReloads();
  });
  for (const topic of ['host', 'view']) store.on(topic, render);
}
