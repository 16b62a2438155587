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
let loads = 0;   // the generation of the latest scheduleReloads
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

async function fetchRecordings() {
  try {
    const res = await fetch('/api/v1/meetings/' + encodeURIComponent(meeting.id) + '/recordings',
      { headers: { Authorization: 'Bearer ' + connection.token } });
    return recordingsOutcome(res.status, await res.json().catch(() => null));
  } catch (e) {
    return { message: 'Could not load the recordings.' };
  }
}

/** Draws an answer into the section; says 'busy' while a recording is still being processed, else 'done'. */
function draw(outcome) {
  const body = $('recordings-body');
  if (outcome.message) {
    body.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: outcome.message }));
    return 'done';
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

/**
 * Loads the list now and again every few seconds while a recording is being processed, or while the gateway refuses
 * (right after a join it may not have written the admission down yet: a refusal is shown only at the last attempt).
 * A newer call supersedes an older one, also one whose answer is still on its way.
 */
function scheduleReloads() {
  clearTimeout(reloadTimer);
  const generation = ++loads;
  let attempts = 0;
  const again = async () => {
    if (generation !== loads || $('recordings').hidden || !connection.joined) return;
    const outcome = await fetchRecordings();
    if (generation !== loads) return;   // a newer load started meanwhile: its answer is the one to show
    const last = ++attempts >= RELOADS_WHILE_PROCESSING;
    const state = outcome.message && !last ? 'refused' : draw(outcome);
    if (state !== 'done' && !last) reloadTimer = setTimeout(again, RELOAD_MS);
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
