// node --test edge-gateway/src/test/js/ — the host-control transitions (static/meeting/host.js) and the store's
// host state (static/meeting/state.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canModerate, endedText, hostErrorText, handsAfter, hostMuteAfter, menuFor, mutedText, pageRole, reactionOf, roleChangeText,
  roomAfterRole, roomOf, rolesAfter, rolesFromRoom, waitingOf,
} from '../../main/resources/static/meeting/host.js';
import { createStore } from '../../main/resources/static/meeting/state.js';
import { out } from '../../main/resources/static/meeting/frames.js';

const hana = { socketId: 'h', participantId: 'u:hana', displayName: 'Hana', role: 'host' };
const alice = { socketId: 'a', participantId: 'u:alice', displayName: 'Alice', role: 'participant' };
const cora = { socketId: 'c', participantId: 'u:cora', displayName: 'Cora', role: 'cohost' };
const gus = { socketId: 'g', participantId: 'guest:gus', displayName: 'Gus', role: 'guest' };
const testids = (items) => items.map((i) => i.testid);

test('only hosts and co-hosts moderate; wire roles map to page roles', () => {
  assert.equal(canModerate('host'), true);
  assert.equal(canModerate('cohost'), true);
  assert.equal(canModerate('participant'), false);
  assert.equal(canModerate('guest'), false);
  assert.equal(pageRole('HOST'), 'host');
  assert.equal(pageRole('COHOST'), 'cohost');
  assert.equal(pageRole('USER'), 'participant');
  assert.equal(pageRole('GUEST'), 'guest');
  assert.equal(pageRole(null), 'participant');
});

test('the per-person menu follows the rights', () => {
  assert.deepEqual(testids(menuFor('host', alice, hana.participantId)),
    ['mute-participant', 'mute-video', 'make-cohost', 'kick']);
  assert.deepEqual(testids(menuFor('host', cora, hana.participantId)),
    ['mute-participant', 'mute-video', 'remove-cohost', 'kick']);
  assert.deepEqual(testids(menuFor('host', gus, hana.participantId)), ['mute-participant', 'mute-video', 'kick'],
    'guests cannot be co-hosts');
  assert.deepEqual(menuFor('host', hana, hana.participantId), [], 'nothing on yourself');
  assert.deepEqual(testids(menuFor('cohost', alice, cora.participantId)),
    ['mute-participant', 'mute-video', 'make-cohost', 'kick'], 'co-hosts give co-host rights too');
  assert.deepEqual(testids(menuFor('cohost', { ...cora, participantId: 'u:cole', socketId: 'k' }, cora.participantId)),
    ['mute-participant', 'mute-video', 'remove-cohost', 'kick'], 'and take them from another co-host');
  assert.deepEqual(menuFor('cohost', hana, cora.participantId), [], 'a co-host does not act on the host');
  assert.deepEqual(menuFor('participant', gus, alice.participantId), []);
  assert.deepEqual(menuFor('guest', alice, gus.participantId), []);
  assert.deepEqual(menuFor('host', null, 'x'), []);
  const mute = menuFor('host', gus, hana.participantId)[0];
  assert.equal(mute.action, 'mute');
  assert.deepEqual(mute.extra, { audio: true, video: false });
});

test('room state is read defensively', () => {
  assert.deepEqual(roomOf(null), { host: null, cohosts: [], locked: false, lobby: false, raisedHands: [], recording: null });
  assert.deepEqual(roomOf({ host: 'u:hana', cohosts: ['u:cora', 7], locked: true, lobby: 'yes', raisedHands: ['a', 'a', 'b'] }),
    { host: 'u:hana', cohosts: ['u:cora'], locked: true, lobby: false, raisedHands: ['a', 'b'], recording: null });
});

test('the running recording is read from the room state, and only a usable one counts', () => {
  assert.deepEqual(roomOf({ recording: { recordingId: 'rec-1', startedAt: '2026-12-05T10:00:00Z', by: 'u:hana' } }).recording,
    { recordingId: 'rec-1', startedAt: '2026-12-05T10:00:00Z', by: 'u:hana' });
  assert.equal(roomOf({ recording: { recordingId: '' } }).recording, null);
  assert.equal(roomOf({ recording: 'yes' }).recording, null);
  assert.equal(hostErrorText({ error: 'already_recording' }), 'The meeting is already being recorded.');
  const store = createStore();
  store.setRoom({ host: 'u:hana', recording: { recordingId: 'rec-2' } });
  assert.equal(store.get().room.recording.recordingId, 'rec-2');
  store.setRoom({ host: 'u:hana' });
  assert.equal(store.get().room.recording, null, 'a room-state without it: the recording stopped');
});

test('the lobby list keeps arrival order and drops unusable or repeated entries', () => {
  assert.deepEqual(waitingOf([{ participantId: 'guest:w', displayName: 'Walt', role: 'GUEST' }, null, { displayName: 'x' },
    { participantId: 'guest:w', displayName: 'Walt again' }, { participantId: 'u:v', displayName: ' ', role: 'USER' }]),
  [{ participantId: 'guest:w', displayName: 'Walt', role: 'guest' }, { participantId: 'u:v', displayName: 'Someone', role: 'participant' }]);
  assert.deepEqual(waitingOf('nope'), []);
});

test('roles follow the room state and role-changed frames', () => {
  const people = [hana, alice, cora, gus];
  assert.equal(rolesFromRoom(people, roomOf({ host: 'u:hana', cohosts: ['u:cora'] })), people, 'unchanged: same array');
  const next = rolesFromRoom(people, roomOf({ host: 'u:alice', cohosts: ['u:hana', 'guest:gus'] }));
  assert.deepEqual(next.map((p) => p.role), ['cohost', 'host', 'participant', 'guest']);
  assert.equal(hana.role, 'host', 'inputs are not changed');
  const promoted = rolesAfter(people, { participantId: 'u:alice', role: 'COHOST' });
  assert.equal(promoted[1].role, 'cohost');
  assert.equal(rolesAfter(people, { participantId: 'u:alice', role: 'USER' }), people);
  assert.equal(rolesAfter(people, {}), people);
  let room = roomOf({ host: 'u:hana', cohosts: ['u:cora'] });
  room = roomAfterRole(room, { participantId: 'u:alice', role: 'COHOST' });
  assert.deepEqual(room.cohosts, ['u:cora', 'u:alice']);
  room = roomAfterRole(room, { participantId: 'u:cora', role: 'HOST', reason: 'host_left' });
  assert.equal(room.host, 'u:cora');
  assert.deepEqual(room.cohosts, ['u:alice']);
});

test('role change texts', () => {
  assert.equal(roleChangeText({ role: 'HOST', reason: 'host_left' }, 'Alice', false), 'Alice is now the host');
  assert.equal(roleChangeText({ role: 'COHOST', reason: 'promoted' }, 'Alice', true), 'You are now a co-host');
  assert.equal(roleChangeText({ role: 'USER', reason: 'demoted' }, 'Alice', false), 'Alice is no longer a co-host');
});

test('hands are listed in raising order, once each', () => {
  let hands = [];
  hands = handsAfter(hands, { participantId: 'b', raised: true });
  hands = handsAfter(hands, { participantId: 'a', raised: true });
  assert.equal(handsAfter(hands, { participantId: 'a', raised: true }), hands, 'raised twice: unchanged');
  assert.deepEqual(hands, ['b', 'a']);
  assert.deepEqual(handsAfter(hands, { participantId: 'b', raised: false, by: 'h' }), ['a']);
  assert.equal(handsAfter(hands, { participantId: 'z', raised: false }), hands);
  assert.equal(handsAfter(hands, null), hands);
});

test('reactions by name or emoji; unknown ones are dropped', () => {
  assert.deepEqual(reactionOf({ participantId: 'a', reaction: 'clap', emoji: '👏' }), { participantId: 'a', emoji: '👏', label: 'Clap' });
  assert.equal(reactionOf({ participantId: 'a', reaction: '🎉' }).emoji, '🎉');
  assert.equal(reactionOf({ participantId: 'a', reaction: 'poo' }), null);
  assert.equal(reactionOf({ reaction: 'clap' }), null);
});

test('a host mute locks or unlocks only the sources it names', () => {
  let m = hostMuteAfter(null, { audio: true, video: false, allowUnmute: false });
  assert.deepEqual(m, { audioLocked: true, videoLocked: false });
  m = hostMuteAfter(m, { audio: false, video: true, allowUnmute: true });
  assert.deepEqual(m, { audioLocked: true, videoLocked: false });
  m = hostMuteAfter(m, { audio: true, allowUnmute: true });
  assert.deepEqual(m, { audioLocked: false, videoLocked: false });
  assert.match(mutedText({ audio: true, allowUnmute: false }, 'Hana'), /^Hana turned off your microphone\. Only a host/);
  assert.match(mutedText({ audio: true, video: true, allowUnmute: true }, ''), /microphone and camera\. You can/);
});

test('ended texts say why', () => {
  assert.match(endedText('removed', { type: 'removed' }), /removed you/);
  assert.match(endedText('removed', { type: 'error' }), /host has to let you in/);
  assert.match(endedText('meeting-ended'), /ended the meeting for everyone/);
  assert.match(endedText('denied'), /did not let you in/);
});

test('the store keeps the host state and updates roles with it', () => {
  const store = createStore();
  const heard = [];
  store.on('host', () => heard.push('host'));
  store.on('participants', () => heard.push('participants'));
  store.setParticipants([hana, alice, gus]);
  store.setSelf({ socketId: 'a' });
  assert.deepEqual(store.me(), { participantId: 'u:alice', role: 'participant' });
  heard.length = 0;
  store.setRoom({ host: 'u:hana', cohosts: ['u:alice'], lobby: true });
  assert.deepEqual(heard, ['host', 'participants']);
  assert.equal(store.me().role, 'cohost');
  assert.equal(store.get().room.lobby, true);
  store.roleChanged({ participantId: 'u:alice', role: 'USER', reason: 'demoted' });
  assert.equal(store.me().role, 'participant');
  store.setWaiting([{ participantId: 'guest:w', displayName: 'Walt', role: 'GUEST' }]);
  assert.equal(store.get().waiting[0].displayName, 'Walt');
  store.handChanged({ participantId: 'u:alice', raised: true });
  assert.deepEqual(store.get().room.raisedHands, ['u:alice']);
  store.hostMuted({ audio: true, allowUnmute: false });
  assert.equal(store.get().hostMute.audioLocked, true);
  const b = store.setBanner('hello');
  store.clearBanner(b + 1);
  assert.equal(store.get().banner.text, 'hello', 'a newer banner is not cleared by an older timer');
  store.clearBanner(b);
  assert.equal(store.get().banner, null);
  const r = store.addReaction({ participantId: 'u:alice', name: 'Alice', emoji: '👍', label: 'Thumbs up' });
  assert.equal(store.get().reactions.length, 1);
  store.dropReaction(r);
  assert.equal(store.get().reactions.length, 0);
  store.resetHost();
  assert.deepEqual(store.get().room.raisedHands, []);
  assert.deepEqual(store.get().waiting, []);
  assert.equal(store.get().hostMute.audioLocked, false);
});

test('host-control frames are built as docs/protocol.md says', () => {
  assert.deepEqual(out.hostAction('m', 'mute', { participantId: 'p', audio: true, allowUnmute: false }, 'r1'),
    { type: 'host-action', meetingId: 'm', action: 'mute', participantId: 'p', audio: true, allowUnmute: false, requestId: 'r1' });
  assert.deepEqual(out.hostAction('m', 'end', null, 'r2'), { type: 'host-action', meetingId: 'm', action: 'end', requestId: 'r2' });
  assert.deepEqual(JSON.parse(JSON.stringify(out.lowerHand('m', null, 'r3'))), { type: 'lower-hand', meetingId: 'm', requestId: 'r3' });
  assert.deepEqual(out.reaction('m', 'clap', 'r4'), { type: 'reaction', meetingId: 'm', reaction: 'clap', requestId: 'r4' });
});
