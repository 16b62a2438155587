// The home page's pure parts: no DOM, no fetch, no clock of their own (callers pass "now" and the time zone), so
// `node --test edge-gateway/src/test/js/` covers them. home.mjs does the DOM and the calls.

import { claims } from './meeting/frames.js';

/** localStorage key of the user's login token; the meeting page reads the same key. */
export const TOKEN_KEY = 'rendezvous.token';

/**
 * True when a token has less than half of its life left (its `exp` against its `iat`): the time to ask
 * POST /api/v1/auth/refresh for a renewed one. False for what cannot be read or has no times.
 */
export function renewalDue(token, now) {
  const c = token ? claims(token) : null;
  if (!c || typeof c.exp !== 'number' || typeof c.iat !== 'number' || c.exp <= c.iat) return false;
  return c.exp * 1000 - now < (c.exp - c.iat) * 500;
}

/**
 * Splits GET /api/v1/me/meetings into its two groups, keeping the server's order (upcoming soonest first, past
 * latest first). The server decides what is past (`past`: ended, or its time more than 12 h ago).
 */
export function splitMeetings(meetings) {
  const upcoming = [];
  const past = [];
  for (const m of meetings || []) (m.past ? past : upcoming).push(m);
  return { upcoming, past };
}

/**
 * The value of a `<input type="datetime-local">` ("2026-12-05T14:30", the person's local time) as the ISO instant
 * the API takes ("2026-12-05T13:30:00.000Z" in Paris). Empty: undefined (not scheduled). Unreadable: null.
 */
export function startsAtFromLocal(value) {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(value).trim());
  if (!m) return null;
  const d = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  if (Number.isNaN(d.getTime()) || d.getMonth() !== +m[2] - 1 || d.getDate() !== +m[3]) return null;
  return d.toISOString();
}

/** A Date as a datetime-local value in the page's time zone, to the minute ("2026-12-05T14:30"). */
export function localInputValue(date) {
  const p = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

/**
 * The body of POST /api/v1/meetings from the form's fields ({title, startsAt, lobby, muteOnEntry, allowGuests,
 * maxParticipants} as the form gives them: strings, checkbox booleans). Answers {body} or {error} for what the
 * page can tell at once; the server checks everything again.
 */
export function meetingRequest(fields) {
  const title = String(fields.title || '').trim();
  if (!title) return { error: 'Give the meeting a title.' };
  const body = { title };
  const startsAt = startsAtFromLocal(fields.startsAt);
  if (startsAt === null) return { error: 'The start time is not a valid date and time.' };
  if (startsAt !== undefined) body.startsAt = startsAt;
  body.lobby = Boolean(fields.lobby);
  body.muteOnEntry = Boolean(fields.muteOnEntry);
  body.allowGuests = Boolean(fields.allowGuests);
  const max = String(fields.maxParticipants ?? '').trim();
  if (max !== '') {
    if (!/^\d+$/.test(max)) return { error: 'Maximum participants must be a whole number.' };
    body.maxParticipants = Number(max);
  }
  return { body };
}

const DAY = 24 * 60 * 60 * 1000;

function dayKey(date, timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/**
 * When a meeting is, for a person: "Today, 14:30", "Tomorrow, 09:00", "Yesterday, 17:00", else
 * "Sat, 12 Dec 2026, 14:30". A meeting that was not scheduled says when it was created ("Created today, 09:43").
 */
export function formatWhen(meeting, now, { locale = 'en-GB', timeZone } = {}) {
  const at = new Date(meeting.startsAt);
  if (Number.isNaN(at.getTime())) return '';
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(at);
  const today = dayKey(now, timeZone);
  let day;
  if (dayKey(at, timeZone) === today) day = 'today';
  else if (dayKey(new Date(at.getTime() - DAY), timeZone) === today) day = 'tomorrow';
  else if (dayKey(new Date(at.getTime() + DAY), timeZone) === today) day = 'yesterday';
  else {
    day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
      .format(at);
  }
  const phrase = `${day}, ${time}`;
  if (meeting.scheduled === false) return `Created ${phrase}`;
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** "Host" or "Invited by Ivan" (or "Invited"). */
export function roleLabel(meeting) {
  if (meeting.role === 'host') return 'Host';
  if (meeting.role === 'invited') return meeting.hostName ? `Invited by ${meeting.hostName}` : 'Invited';
  return '';
}

/** Settings worth a mention in a list entry, e.g. "lobby · muted on entry · no guests · up to 12". */
export function settingsSummary(meeting) {
  const parts = [];
  if (meeting.lobby) parts.push('lobby');
  if (meeting.muteOnEntry) parts.push('muted on entry');
  if (meeting.allowGuests === false) parts.push('no guests');
  if (Number.isInteger(meeting.maxParticipants)) parts.push(`up to ${meeting.maxParticipants}`);
  if (meeting.endedAt) parts.push('ended');
  return parts.join(' · ');
}

/** A recording's length: "0:07", "12:05", "1:02:03". Unknown: "". */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "512 B", "1.5 kB", "12.3 MB", "2.0 GB". */
export function formatBytes(n) {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do { v /= 1000; i++; } while (v >= 1000 && i < units.length - 1);
  return `${v.toFixed(1)} ${units[i]}`;
}

/** The link text of one recording file: "Whole meeting", "Alice — camera", "Bob — screen". */
export function fileLabel(file) {
  if (file.kind === 'composite') return 'Whole meeting';
  const who = file.participantName || 'Participant';
  return file.source ? `${who} — ${file.source}` : who;
}

/** What to show for a recording besides its files: "Ready · 12:05", "Recording…", "Processing…", "Failed". */
export function recordingStatus(rec) {
  switch (rec.status) {
    case 'ready': { const d = formatDuration(rec.durationMs); return d ? `Ready · ${d}` : 'Ready'; }
    case 'recording': return 'Recording…';
    case 'processing': return 'Processing…';
    case 'failed': return 'Failed';
    default: return String(rec.status || '');
  }
}

/**
 * What a GET /api/v1/meetings/{id}/recordings answer means for the list: {recordings} (possibly empty) or
 * {message}. A 404 `not_found` is a gateway without the endpoint yet: no recordings.
 */
export function recordingsOutcome(status, body) {
  if (status === 200) return { recordings: Array.isArray(body) ? body : [] };
  if (status === 404 && body && body.error === 'not_found') return { recordings: [] };
  if (status === 403) return { message: 'Only the host and people who joined can see the recordings.' };
  if (status === 401) return { message: 'Your session has expired; log in again.' };
  return { message: (body && body.message) || `Could not load the recordings (HTTP ${status}).` };
}
