import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bars, charts, chatEmpty, columns, spokenDuration, outcome, stepLine } from '../../main/resources/static/report-model.mjs';

test('durations read as a person would say them', () => {
  assert.equal(spokenDuration(45_000), '45 s');
  assert.equal(spokenDuration(200_000), '3 min 20 s');
  assert.equal(spokenDuration(3_720_000), '1 h 02 min');
  assert.equal(spokenDuration(undefined), '0 s');
});

test('each refusal of the analytics call gets its own message; analytics off says so', () => {
  assert.equal(outcome(200, { durationMs: 1 }).kind, 'report');
  assert.match(outcome(503, { error: 'analytics_off' }).message, /Analytics is off/);
  assert.match(outcome(503, { error: 'analytics_unavailable' }).message, /did not answer/);
  assert.match(outcome(403, { error: 'forbidden' }).message, /Only the meeting's host/);
  assert.match(outcome(401, null).message, /Log in/);
  assert.match(outcome(404, {}).message, /no such meeting/);
  assert.match(outcome(500, {}).message, /500/);
});

test('the participants line steps at each change and runs to the end of the meeting', () => {
  const { d, top, end } = stepLine([{ atMs: 0, participants: 1 }, { atMs: 30_000, participants: 2 },
    { atMs: 90_000, participants: 1 }], 120_000, 120, 100);
  assert.equal(top, 2);
  assert.equal(end, 120_000);
  assert.equal(d, 'M0.0,50.0 H30.0 V0.0 H90.0 V50.0 H120.0');
  assert.equal(stepLine([], 0, 100, 100).d, '');
});

test('the longest bar fills the width and the others are in proportion', () => {
  const b = bars([{ label: 'a', value: 60 }, { label: 'b', value: 30 }, { label: 'c', value: 0 }], 200, 20);
  assert.deepEqual(b.map((r) => r.w), [200, 100, 0]);
  assert.deepEqual(b.map((r) => r.y), [0, 20, 40]);
  assert.deepEqual(bars([{ label: 'z', value: 0 }], 200, 20).map((r) => r.w), [0]);
});

test('the charts come from the analytics answer: presence, chat, loss and RTT per person', () => {
  const c = charts({ durationMs: 120_000, chatMessages: 2, timeline: [{ atMs: 0, participants: 1 }],
    chatTimeline: [{ atMs: 60_000, messages: 2 }],
    participants: [{ participantId: 'u1', displayName: 'Hana', presentMs: 120_000 }],
    quality: [{ participantId: 'g', displayName: 'Gil', lossRatio: 0.03, rttMs: 50 }] });
  assert.deepEqual(c.presence.items.map((i) => [i.label, i.text]), [['Hana', '2 min 00 s']]);
  assert.deepEqual(c.chat.points, [{ atMs: 60_000, messages: 2 }]);
  assert.equal(c.chat.durationMs, 120_000);
  assert.deepEqual(c.loss.items.map((i) => i.text), ['3.0 %']);
  assert.deepEqual(c.rtt.items.map((i) => i.text), ['50 ms']);
  assert.deepEqual(charts({}).presence.items, []);
  assert.deepEqual(charts({}).chat.points, []);
  assert.equal(charts({}).chat.empty, 'No chat');
  assert.equal(c.chat.empty, 'No chat');
});

test('chat counted without a join to place it in time says how much there was instead of "No chat"', () => {
  assert.equal(chatEmpty(3, []), '3 messages, not placed in time (no join recorded)');
  assert.equal(chatEmpty(1, undefined), '1 message, not placed in time (no join recorded)');
  assert.equal(chatEmpty(0, []), 'No chat');
  assert.equal(chatEmpty(undefined, []), 'No chat');
  assert.equal(chatEmpty(2, [{ atMs: 0, messages: 2 }]), 'No chat');
  assert.equal(charts({ chatMessages: 4, chatTimeline: [] }).chat.empty, '4 messages, not placed in time (no join recorded)');
});

test('chat columns stand at their minute, the busiest one full height', () => {
  const { cols, top, end } = columns([{ atMs: 0, messages: 4 }, { atMs: 120_000, messages: 1 }, { atMs: 60_000, messages: 0 }],
    300_000, 300, 100);
  assert.equal(top, 4);
  assert.equal(end, 300_000);
  assert.deepEqual(cols.map((c) => [c.x, c.h, c.y]), [[0, 100, 0], [120, 25, 75]]);
  assert.equal(cols[0].w, 59);
  // chat past the recorded duration (a meeting still running) widens the axis to the end of that minute
  assert.equal(columns([{ atMs: 180_000, messages: 1 }], 60_000, 300, 100).end, 240_000);
  for (const bad of [undefined, [], [{ atMs: -1, messages: 3 }], [{ atMs: 'x', messages: 1 }]]) {
    assert.deepEqual(columns(bad, 0, 300, 100).cols, [], String(bad));
  }
});

test('a meeting too long for a column per minute gets columns of several minutes, none overlapping', () => {
  const points = [];
  for (let m = 0; m < 480; m++) points.push({ atMs: m * 60_000, messages: 1 });
  const { cols, minutes, top } = columns(points, 480 * 60_000, 300, 100);
  assert.equal(minutes, 4);
  assert.equal(cols.length, 120);
  assert.equal(top, 4);
  assert.ok(cols.every((c) => c.messages === 4 && c.minutes === 4));
  for (let i = 1; i < cols.length; i++) assert.ok(cols[i].x >= cols[i - 1].x + cols[i - 1].w, `column ${i}`);
});
