// The home page (/): register and log in; once logged in, create a meeting (title, start, settings), see the
// meetings one hosts or is invited to (upcoming, past) with their links, recordings and invitations, and log out.
// The user's token is kept in localStorage (TOKEN_KEY), where the meeting page finds it. Pure parts are in
// home-model.mjs (unit-tested with node --test); this module owns the DOM and the calls. Text is only ever set with
// textContent (no HTML from data).
import {
  TOKEN_KEY, splitMeetings, meetingRequest, localInputValue, formatWhen, roleLabel, settingsSummary, fileLabel,
  formatBytes, recordingStatus, recordingsOutcome, renewalDue,
} from './home-model.mjs';

const $ = (id) => document.getElementById(id);

function token() { return localStorage.getItem(TOKEN_KEY); }

/** An error answer of the API, with its status and machine code. */
class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.body = body;
  }
}

/** Calls the API; answers {status, body} for any HTTP status (raw), or the body of a 2xx (default). */
async function api(method, path, { body, auth, raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth) headers.Authorization = 'Bearer ' + auth;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await res.json(); } catch { /* empty body */ }
  if (raw) return { status: res.status, body: data };
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'className') e.className = v;
    else if (k === 'hidden') e.hidden = true;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

// ---- session ------------------------------------------------------------------------------------------------------

async function showState(notice = '') {
  $('session-notice').textContent = notice;
  const t = token();
  if (t) {
    try {
      const me = await api('GET', '/api/v1/me', { auth: t });
      $('whoami-name').textContent = `${me.displayName} (${me.email})`;
      $('whoami').hidden = false;
      $('signed-in').hidden = false;
      $('signed-out').hidden = true;
      $('meeting-form').elements.startsAt.min = localInputValue(new Date());
      await loadMeetings();
      return;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) {
        $('session-notice').textContent = 'The server cannot be reached; try again shortly.';
        return;
      }
      localStorage.removeItem(TOKEN_KEY); // expired, or from another server
      if (!notice) $('session-notice').textContent = 'Your session has expired; log in again.';
    }
  }
  $('whoami').hidden = true;
  $('signed-in').hidden = true;
  $('signed-out').hidden = false;
  $('upcoming').replaceChildren();
  $('past').replaceChildren();
}

/** A call answered 401: the token expired or was revoked. */
async function sessionEnded() {
  localStorage.removeItem(TOKEN_KEY);
  await showState('Your session has expired; log in again.');
}

let notRenewable = null; // the token the server would not renew (409: its session is at its end)

/**
 * Keeps the stored token alive while the page is open: once less than half of its life is left it is exchanged for a
 * renewed one (same session; docs/rest.md). A refused renewal (401: logged out elsewhere, or expired) ends the session
 * here; 409 (the session at its longest life) and unreachable servers leave it as it is until it expires.
 */
async function keepSessionFresh() {
  const t = token();
  if (!t || t === notRenewable || !renewalDue(t, Date.now())) return;
  const res = await api('POST', '/api/v1/auth/refresh', { auth: t, raw: true }).catch(() => null);
  if (!res || token() !== t) return; // unreachable, or the meeting page (or a login) replaced it meanwhile
  if (res.status === 200 && res.body && typeof res.body.token === 'string') localStorage.setItem(TOKEN_KEY, res.body.token);
  else if (res.status === 401) await sessionEnded();
  else if (res.status === 409) notRenewable = t;
}

async function login(email, password) {
  const res = await api('POST', '/api/v1/auth/login', { body: { email, password } });
  localStorage.setItem(TOKEN_KEY, res.token);
}

function formData(form) {
  const out = {};
  for (const input of form.elements) {
    if (!input.name) continue;
    out[input.name] = input.type === 'checkbox' ? input.checked : input.value;
  }
  return out;
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('login-error').textContent = '';
  const f = formData(ev.target);
  try {
    await login(f.email, f.password);
    ev.target.reset();
    await showState();
    $('meeting-form').elements.title.focus();
  } catch (e) {
    $('login-error').textContent = e.message;
  }
});

$('register-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('register-error').textContent = '';
  const f = formData(ev.target);
  try {
    await api('POST', '/api/v1/auth/register', { body: { email: f.email, password: f.password, displayName: f.displayName } });
    await login(f.email, f.password);
    ev.target.reset();
    await showState();
    $('meeting-form').elements.title.focus();
  } catch (e) {
    $('register-error').textContent = e.message;
  }
});

$('logout').addEventListener('click', async () => {
  const token = localStorage.getItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  // the server revokes the token too (every gateway refuses it from then on); logged out here whatever it answers
  if (token) await api('POST', '/api/v1/auth/logout', { auth: token, raw: true }).catch(() => {});
  $('meeting-created').hidden = true;
  await showState('You are logged out.');
  document.querySelector('[data-testid="login-email"]').focus();
});

// ---- creating a meeting ---------------------------------------------------------------------------------------------

$('meeting-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  $('meeting-error').textContent = '';
  const req = meetingRequest(formData(form));
  if (req.error) {
    $('meeting-error').textContent = req.error;
    return;
  }
  const submit = form.querySelector('[type="submit"]');
  submit.disabled = true;
  try {
    const m = await api('POST', '/api/v1/meetings', { body: req.body, auth: token() });
    $('join-link').textContent = m.joinUrl;
    $('join-link').href = m.joinUrl;
    $('meeting-created').hidden = false;
    form.reset();
    await loadMeetings(m.meetingId);
    $('meeting-created').focus();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { await sessionEnded(); return; }
    $('meeting-error').textContent = e.message;
  } finally {
    submit.disabled = false;
  }
});

// ---- the lists --------------------------------------------------------------------------------------------------------

async function loadMeetings(highlightId) {
  $('meetings-status').textContent = 'Loading…';
  let list;
  try {
    list = await api('GET', '/api/v1/me/meetings', { auth: token() });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { await sessionEnded(); return; }
    $('meetings-status').textContent = `Could not load your meetings: ${e.message}`;
    return;
  }
  const { upcoming, past } = splitMeetings(list);
  const now = new Date();
  $('upcoming').replaceChildren(...upcoming.map((m) => meetingItem(m, now, m.meetingId === highlightId)));
  $('past').replaceChildren(...past.map((m) => meetingItem(m, now, false)));
  $('upcoming-empty').hidden = upcoming.length > 0;
  $('past-empty').hidden = past.length > 0;
  $('meetings-status').textContent = list.length === 0 ? 'No meetings yet: create one.'
    : `${list.length} meeting${list.length === 1 ? '' : 's'}`;
}

function meetingItem(m, now, highlight) {
  const titleId = `meeting-${m.meetingId}-title`;
  const li = el('li', {
    className: 'meeting-item' + (highlight ? ' new' : ''), 'data-testid': 'meeting-item',
    'data-meeting-id': m.meetingId, 'data-role': m.role, 'aria-labelledby': titleId,
  });
  li.append(
    el('div', { className: 'meeting-head' },
      el('h4', { id: titleId, className: 'meeting-title', text: m.title, 'data-testid': 'meeting-item-title' }),
      el('span', { className: `role role-${m.role}`, text: roleLabel(m) })),
    el('p', { className: 'when' }, el('time', { datetime: m.startsAt, text: formatWhen(m, now) })));
  const summary = settingsSummary(m);
  if (summary) li.append(el('p', { className: 'settings muted', text: summary }));

  const status = el('span', { className: 'copy-status', role: 'status', 'data-testid': 'copy-status' });
  const copy = el('button', { type: 'button', className: 'secondary', 'data-testid': 'copy-link', 'data-join-url': m.joinUrl },
    'Copy link', el('span', { className: 'visually-hidden', text: ` for ${m.title}` }));
  copy.addEventListener('click', () => copyLink(m.joinUrl, status));
  const join = el('a', { className: 'button', href: m.joinUrl, 'data-testid': 'join-meeting' },
    'Join', el('span', { className: 'visually-hidden', text: ` ${m.title}` }));
  li.append(el('div', { className: 'actions' }, join, copy, status));

  if (m.role === 'host') {
    // the meeting report (charts from the analytics); the page reads the token this page keeps
    li.querySelector('.actions').append(el('a', { className: 'button secondary', href: `/meetings/${encodeURIComponent(m.meetingId)}/report`,
      'data-testid': 'meeting-report' }, 'Report', el('span', { className: 'visually-hidden', text: ` of ${m.title}` })));
  }
  li.append(recordingsPanel(m));
  if (m.role === 'host') li.append(invitePanel(m));
  return li;
}

async function copyLink(url, status) {
  status.replaceChildren();
  try {
    await navigator.clipboard.writeText(url);
    status.textContent = 'Link copied';
  } catch {
    // no clipboard (plain http on another host, or no permission): select the link for the person to copy
    const field = el('input', { className: 'copy-fallback', readonly: true, value: url, 'aria-label': 'Meeting link' });
    status.append('Press Ctrl+C to copy: ', field);
    field.focus();
    field.select();
  }
}

// ---- recordings and invitations (loaded or sent on demand) ------------------------------------------------------------

function recordingsPanel(m) {
  const body = el('div', { className: 'panel-body' });
  const details = el('details', { className: 'recordings', 'data-testid': 'recordings' },
    el('summary', {}, 'Recordings', el('span', { className: 'visually-hidden', text: ` of ${m.title}` })), body);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    body.replaceChildren(el('p', { className: 'muted', text: 'Loading…' }));
    let outcome;
    try {
      const r = await api('GET', `/api/v1/meetings/${encodeURIComponent(m.meetingId)}/recordings`, { auth: token(), raw: true });
      outcome = recordingsOutcome(r.status, r.body);
    } catch (e) {
      outcome = { message: `Could not load the recordings: ${e.message}` };
      loaded = false; // try again on the next opening
    }
    if (outcome.message) {
      body.replaceChildren(el('p', { className: 'muted', text: outcome.message }));
    } else if (outcome.recordings.length === 0) {
      body.replaceChildren(el('p', { className: 'muted', text: 'No recordings', 'data-testid': 'no-recordings' }));
    } else {
      body.replaceChildren(el('ul', { className: 'recording-list' }, ...outcome.recordings.map(recordingItem)));
    }
  });
  return details;
}

function recordingItem(rec) {
  const when = rec.startedAt ? new Date(rec.startedAt).toLocaleString() : '';
  const files = (rec.files || []).map((f) => el('li', {},
    el('a', { href: f.url, rel: 'noopener', text: fileLabel(f) }),
    f.sizeBytes !== undefined ? el('span', { className: 'muted', text: ` (${formatBytes(f.sizeBytes)})` }) : null));
  return el('li', { 'data-testid': 'recording', 'data-recording-id': rec.recordingId },
    el('span', { text: [when, recordingStatus(rec)].filter(Boolean).join(' · ') }),
    files.length ? el('ul', {}, ...files) : null);
}

function invitePanel(m) {
  const input = el('input', { type: 'email', name: 'email', required: true, autocomplete: 'off', 'data-testid': 'invite-email' });
  const status = el('p', { className: 'invite-status', role: 'status' });
  const form = el('form', { className: 'invite-form' },
    el('label', {}, 'Email of a registered user', input),
    el('button', { type: 'submit', 'data-testid': 'invite-submit' }, 'Invite'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = '';
    try {
      const r = await api('POST', `/api/v1/meetings/${encodeURIComponent(m.meetingId)}/invites`,
        { body: { email: input.value.trim() }, auth: token() });
      status.textContent = `Invited ${r.displayName}. The meeting is now on their home page.`;
      form.reset();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { await sessionEnded(); return; }
      status.textContent = e.message;
    }
  });
  return el('details', { className: 'invite' },
    el('summary', {}, 'Invite', el('span', { className: 'visually-hidden', text: ` to ${m.title}` })),
    el('div', { className: 'panel-body' }, form, status));
}

showState().then(keepSessionFresh);
setInterval(keepSessionFresh, 60000);
