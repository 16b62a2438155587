import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleText } from '../../main/resources/static/meeting/schedule.js';

const NOW = Date.parse('2026-12-05T09:00:00Z');
const UTC = { locale: 'en-GB', timeZone: 'UTC' };

test('a start ahead is shown with how long until it', () => {
  assert.equal(scheduleText('2026-12-07T10:00:00Z', NOW, UTC), 'Scheduled for Mon 7 Dec, 10:00 (in 2 days)');
  assert.equal(scheduleText('2026-12-05T09:30:00Z', NOW, UTC), 'Scheduled for Sat 5 Dec, 09:30 (in 30 minutes)');
  assert.equal(scheduleText('2026-12-05T12:00:00Z', NOW, UTC), 'Scheduled for Sat 5 Dec, 12:00 (in 3 hours)');
  assert.equal(scheduleText('2026-12-05T09:01:00Z', NOW, UTC), 'Scheduled for Sat 5 Dec, 09:01 (in 1 minute)');
});

test('no start, an unreadable one, or one already past shows nothing', () => {
  assert.equal(scheduleText('', NOW, UTC), '');
  assert.equal(scheduleText(null, NOW, UTC), '');
  assert.equal(scheduleText('tomorrow-ish', NOW, UTC), '');
  assert.equal(scheduleText('2026-12-05T08:00:00Z', NOW, UTC), '');
});
