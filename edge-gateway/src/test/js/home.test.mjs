// Unit tests of the home page's pure parts: node --test edge-gateway/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  splitMeetings, startsAtFromLocal, localInputValue, meetingRequest, formatWhen, roleLabel, settingsSummary,
  formatDuration, formatBytes, fileLabel, recordingStatus, recordingsOutcome, renewalDue,
} from '../../main/resources/static/home-model.mjs';

test('renewalDue once less than half of the token\'s life is left', () => {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = (payload) => b64({ alg: 'HS256' }) + '.' + b64(payload) + '.sig';
  const iat = Date.parse('2030-01-01T10:00:00Z') / 1000;
  const t = jwt({ iat, exp: iat + 3600 });
  assert.equal(renewalDue(t, (iat + 1799) * 1000), false);
  assert.equal(renewalDue(t, (iat + 1801) * 1000), true);
  assert.equal(renewalDue(t, (iat + 4000) * 1000), true, 'expired: the server answers');
  for (const bad of [null, '', 'garbage', jwt({ exp: iat + 10 }), jwt({ iat, exp: iat })]) {
    assert.equal(renewalDue(bad, iat * 1000), false, String(bad));
  }
});

test('splitMeetings keeps the server order within upcoming and past', () => {
  const list = [
    { meetingId: 'a', past: false }, { meetingId: 'b', past: false }, { meetingId: 'c', past: true },
    { meetingId: 'd', past: true },
  ];
  const { upcoming, past } = splitMeetings(list);
  assert.deepEqual(upcoming.map((m) => m.meetingId), ['a', 'b']);
  assert.deepEqual(past.map((m) => m.meetingId), ['c', 'd']);
  assert.deepEqual(splitMeetings(undefined), { upcoming: [], past: [] });
});

test('startsAtFromLocal reads a datetime-local value in the local zone', () => {
  const iso = startsAtFromLocal('2026-12-05T14:30');
  assert.equal(iso, new Date(2026, 11, 5, 14, 30).toISOString());
  assert.equal(startsAtFromLocal(''), undefined);
  assert.equal(startsAtFromLocal('   '), undefined);
  assert.equal(startsAtFromLocal(undefined), undefined);
  assert.equal(startsAtFromLocal('next tuesday'), null);
  assert.equal(startsAtFromLocal('2026-02-30T10:00'), null); // no such day
});

test('localInputValue round-trips through startsAtFromLocal', () => {
  const d = new Date(2027, 0, 9, 8, 5);
  assert.equal(localInputValue(d), '2027-01-09T08:05');
  assert.equal(startsAtFromLocal(localInputValue(d)), d.toISOString());
});

test('meetingRequest builds the API body from the form', () => {
  const { body } = meetingRequest({
    title: '  Weekly sync ', startsAt: '2026-12-24T09:00', lobby: true, muteOnEntry: false, allowGuests: true,
    maxParticipants: ' 12 ',
  });
  assert.deepEqual(body, {
    title: 'Weekly sync', startsAt: new Date(2026, 11, 24, 9, 0).toISOString(), lobby: true, muteOnEntry: false,
    allowGuests: true, maxParticipants: 12,
  });
  const plain = meetingRequest({ title: 'x', startsAt: '', maxParticipants: '' }).body;
  assert.equal('startsAt' in plain, false);
  assert.equal('maxParticipants' in plain, false);
  assert.equal(plain.allowGuests, false); // an unticked box is false, not the server's default
});

test('meetingRequest refuses what the page can tell is wrong', () => {
  assert.match(meetingRequest({ title: '   ' }).error, /title/);
  assert.match(meetingRequest({ title: 'x', startsAt: 'soon' }).error, /start time/);
  assert.match(meetingRequest({ title: 'x', maxParticipants: '2.5' }).error, /whole number/);
  assert.match(meetingRequest({ title: 'x', maxParticipants: '-3' }).error, /whole number/);
});

test('formatWhen names today, tomorrow and yesterday, else the date, in the given zone', () => {
  const now = new Date('2026-12-05T10:00:00Z');
  const opts = { locale: 'en-GB', timeZone: 'Europe/Paris' };
  assert.equal(formatWhen({ startsAt: '2026-12-05T13:30:00Z', scheduled: true }, now, opts), 'Today, 14:30');
  assert.equal(formatWhen({ startsAt: '2026-12-06T08:00:00Z', scheduled: true }, now, opts), 'Tomorrow, 09:00');
  assert.equal(formatWhen({ startsAt: '2026-12-04T16:00:00Z', scheduled: true }, now, opts), 'Yesterday, 17:00');
  assert.equal(formatWhen({ startsAt: '2026-12-12T13:30:00Z', scheduled: true }, now, opts), 'Sat, 12 Dec 2026, 14:30');
  assert.equal(formatWhen({ startsAt: '2026-12-05T08:43:00Z', scheduled: false }, now, opts), 'Created today, 09:43');
  // 23:30 UTC on the 5th is already the 6th in Paris: tomorrow there
  assert.equal(formatWhen({ startsAt: '2026-12-05T23:30:00Z' }, now, opts), 'Tomorrow, 00:30');
  assert.equal(formatWhen({ startsAt: 'garbage' }, now, opts), '');
});

test('roleLabel and settingsSummary', () => {
  assert.equal(roleLabel({ role: 'host' }), 'Host');
  assert.equal(roleLabel({ role: 'invited', hostName: 'Ivan' }), 'Invited by Ivan');
  assert.equal(roleLabel({ role: 'invited' }), 'Invited');
  assert.equal(settingsSummary({ lobby: true, muteOnEntry: true, allowGuests: false, maxParticipants: 12 }),
    'lobby · muted on entry · no guests · up to 12');
  assert.equal(settingsSummary({ lobby: false, allowGuests: true }), '');
  assert.equal(settingsSummary({ endedAt: '2026-12-05T10:00:00Z', allowGuests: true }), 'ended');
});

test('durations and sizes', () => {
  assert.equal(formatDuration(7000), '0:07');
  assert.equal(formatDuration(725_000), '12:05');
  assert.equal(formatDuration(3_723_000), '1:02:03');
  assert.equal(formatDuration(undefined), '');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1500), '1.5 kB');
  assert.equal(formatBytes(12_345_678), '12.3 MB');
  assert.equal(formatBytes(2_000_000_000), '2.0 GB');
  assert.equal(formatBytes(-1), '');
});

test('recording files and statuses read as words', () => {
  assert.equal(fileLabel({ kind: 'composite' }), 'Whole meeting');
  assert.equal(fileLabel({ kind: 'participant', participantName: 'Alice', source: 'camera' }), 'Alice — camera');
  assert.equal(fileLabel({ kind: 'participant', participantName: 'Bob' }), 'Bob');
  assert.equal(recordingStatus({ status: 'ready', durationMs: 725_000 }), 'Ready · 12:05');
  assert.equal(recordingStatus({ status: 'recording' }), 'Recording…');
  assert.equal(recordingStatus({ status: 'processing' }), 'Processing…');
  assert.equal(recordingStatus({ status: 'failed' }), 'Failed');
});

test('recordingsOutcome: a list, none, or why not', () => {
  const rec = [{ recordingId: 'r1', status: 'ready', files: [] }];
  assert.deepEqual(recordingsOutcome(200, rec), { recordings: rec });
  assert.deepEqual(recordingsOutcome(200, []), { recordings: [] });
  // a gateway without the endpoint answers the generic JSON 404: treated as "no recordings"
  assert.deepEqual(recordingsOutcome(404, { error: 'not_found', message: 'no such endpoint' }), { recordings: [] });
  assert.match(recordingsOutcome(404, { error: 'meeting_not_found', message: 'no such meeting' }).message, /no such meeting/);
  assert.match(recordingsOutcome(403, { error: 'forbidden' }).message, /host/);
  assert.match(recordingsOutcome(503, null).message, /503/);
});
