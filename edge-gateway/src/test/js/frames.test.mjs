// node --test edge-gateway/src/test/js/ — parsing and building WebSocket frames (static/meeting/frames.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chatMessageOf, claims, forMeeting, iceUfragOf, mediaStateOf, out, parseFrame, participantOf, participantsOfJoined,
  remoteTracks, renewedToken, replacesStored, usableClaims,
} from '../../main/resources/static/meeting/frames.js';

test('a frame is a JSON object with a string type; anything else is dropped', () => {
  assert.deepEqual(parseFrame('{"type":"pong"}'), { type: 'pong' });
  for (const bad of ['', 'not json', '[]', '"x"', '42', 'null', '{"type":3}', '{"type":""}', '{}', null, undefined, 17]) {
    assert.equal(parseFrame(bad), null, String(bad));
  }
});

test('frames of another meeting are recognised', () => {
  assert.ok(forMeeting({ type: 'chat', meetingId: 'm1' }, 'm1'));
  assert.ok(!forMeeting({ type: 'chat', meetingId: 'm2' }, 'm1'));
  assert.ok(!forMeeting(null, 'm1'));
});

test('participants are normalised and unusable entries skipped', () => {
  assert.deepEqual(participantOf({ socketId: 's1', participantId: 'guest:1', displayName: 'Ann', role: 'GUEST' }),
    { socketId: 's1', participantId: 'guest:1', displayName: 'Ann', role: 'guest' });
  assert.equal(participantOf({ displayName: 'no socket' }), null);
  assert.equal(participantOf('x'), null);
  assert.equal(participantOf({ socketId: 's2', displayName: '  ', role: 'KING' }).displayName, 'Someone');
  assert.equal(participantOf({ socketId: 's2', role: 'KING' }).role, 'participant');
  const joined = participantsOfJoined({
    you: { socketId: 'me', displayName: 'Me', role: 'HOST' },
    participants: [{ socketId: 'a', displayName: 'A' }, null, { socketId: 'me', displayName: 'Me' }, 5],
  });
  assert.deepEqual(joined.map((p) => p.socketId), ['a', 'me']);
  assert.deepEqual(participantsOfJoined({}), []);
});

test('remote tracks of a subscribe offer, by mid', () => {
  const t = remoteTracks([
    { mid: 0, socketId: 's1', participantId: 'p1', kind: 'audio', source: 'microphone', muted: true },
    { mid: '1', socketId: 's1', participantId: 'p1', kind: 'video', source: 'camera' },
    { mid: '2', socketId: 's1', kind: 'video', source: 'screen', muted: 'yes' },
    { mid: '3', kind: 'video' },               // no socket
    { mid: '4', socketId: 's2', kind: 'data' }, // unknown kind
    null,
  ]);
  assert.deepEqual(Array.from(t.keys()), ['0', '1', '2']);
  assert.equal(t.get('0').muted, true);
  assert.equal(t.get('1').muted, false);
  assert.equal(t.get('2').muted, false, 'only a boolean true mutes');
  assert.equal(t.get('2').source, 'screen');
  assert.equal(remoteTracks('nonsense').size, 0);
});

test("a person's mute state comes from the offer's track flags", () => {
  const tracks = remoteTracks([
    { mid: '0', socketId: 'a', kind: 'audio', source: 'microphone', muted: true },
    { mid: '1', socketId: 'a', kind: 'video', source: 'camera', muted: false },
    { mid: '2', socketId: 'a', kind: 'video', source: 'screen', muted: false },
    { mid: '3', socketId: 'b', kind: 'audio', source: 'microphone', muted: false },
  ]);
  assert.deepEqual(mediaStateOf(tracks, 'a'), { audioMuted: true, videoOff: false });
  assert.deepEqual(mediaStateOf(tracks, 'b'), { audioMuted: false, videoOff: true }, 'no camera track: camera off');
  assert.deepEqual(mediaStateOf(tracks, 'nobody'), { audioMuted: false, videoOff: false }, 'unknown: nothing shown');
});

test('chat messages from frames and from the history endpoint', () => {
  assert.deepEqual(chatMessageOf({ seq: 3, clientMsgId: 'c', from: { displayName: 'Ann' }, text: 'hi', sentAt: '2026-12-05T10:00:00Z' }),
    { seq: 3, clientMsgId: 'c', fromId: '', from: 'Ann', text: 'hi', sentAt: '2026-12-05T10:00:00Z' });
  // the sender's id, from a live frame or a history row: a message is (sender, clientMsgId)
  assert.equal(chatMessageOf({ seq: 3, clientMsgId: 'c', from: { participantId: 'p-1', displayName: 'Ann' }, text: 'hi' }).fromId, 'p-1');
  assert.equal(chatMessageOf({ seq: 3, clientMsgId: 'c', from: 'Ann', fromId: 'p-2', text: 'hi' }).fromId, 'p-2');
  assert.equal(chatMessageOf({ seq: '4', from: 'Bob', text: 'x' }).from, 'Bob');
  assert.equal(chatMessageOf({ seq: 5, text: 'x' }).from, 'someone');
  assert.equal(chatMessageOf({ seq: 'x', text: 'x' }), null);
  assert.equal(chatMessageOf({ seq: 1 }), null);
  assert.equal(chatMessageOf(null), null);
});

test('ICE ufrag of an SDP', () => {
  assert.equal(iceUfragOf('v=0\r\na=ice-ufrag:abcd\r\na=ice-pwd:x\r\n'), 'abcd');
  assert.equal(iceUfragOf('v=0\r\n'), null);
  assert.equal(iceUfragOf(undefined), null);
});

function jwt(payload) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return b64({ alg: 'none' }) + '.' + b64(payload) + '.sig';
}

test('token claims: usable only before expiry, and a guest token only for its meeting', () => {
  const now = Date.parse('2026-12-05T10:00:00Z');
  const exp = now / 1000 + 3600;
  assert.equal(claims(jwt({ name: 'Zoë', kind: 'user' })).name, 'Zoë');
  assert.equal(claims('garbage'), null);
  assert.equal(claims(undefined), null);
  assert.ok(usableClaims(jwt({ kind: 'user', exp }), 'm1', now));
  assert.equal(usableClaims(jwt({ kind: 'user', exp: now / 1000 - 1 }), 'm1', now), null);
  assert.ok(usableClaims(jwt({ kind: 'guest', mid: 'm1', exp }), 'm1', now));
  assert.equal(usableClaims(jwt({ kind: 'guest', mid: 'm2', exp }), 'm1', now), null);
  assert.equal(usableClaims(jwt({ kind: 'user' }), 'm1', now), null, 'no expiry: not used');
});

test('a renewed token is taken only for the same bearer and session, usable here', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  const exp = now / 1000 + 3600;
  const first = jwt({ sub: 'u1', kind: 'user', jti: 'j1', sid: 'j1', exp: now / 1000 + 600 });
  const second = jwt({ sub: 'u1', kind: 'user', jti: 'j2', sid: 'j1', exp });
  assert.equal(renewedToken(first, second, 'm1', now), second);
  const third = jwt({ sub: 'u1', kind: 'user', jti: 'j3', sid: 'j1', exp: exp + 1800 });
  assert.equal(renewedToken(second, third, 'm1', now), third, 'a renewal of a renewal');
  const old = jwt({ sub: 'u1', kind: 'user', jti: 'j0', exp: now / 1000 + 600 });
  assert.equal(renewedToken(old, jwt({ sub: 'u1', kind: 'user', jti: 'j5', sid: 'j0', exp }), 'm1', now) !== null, true,
    'a token without sid is its own session');
  assert.equal(renewedToken(first, jwt({ sub: 'u2', kind: 'user', jti: 'j4', sid: 'j1', exp }), 'm1', now), null, 'another person');
  assert.equal(renewedToken(first, jwt({ sub: 'u1', kind: 'user', jti: 'j4', sid: 'jx', exp }), 'm1', now), null, 'another session');
  assert.equal(renewedToken(first, jwt({ sub: 'u1', kind: 'user', jti: 'j4', sid: 'j1', exp: now / 1000 - 1 }), 'm1', now), null,
    'expired');
  const guest = jwt({ sub: 'guest:g', kind: 'guest', mid: 'm1', jti: 'g1', sid: 'g1', exp: now / 1000 + 600 });
  assert.equal(renewedToken(guest, jwt({ sub: 'guest:g', kind: 'guest', mid: 'm2', jti: 'g2', sid: 'g1', exp }), 'm1', now), null,
    'a guest token of another meeting');
  for (const bad of [undefined, null, 42, 'garbage', '']) assert.equal(renewedToken(first, bad, 'm1', now), null, String(bad));
  assert.equal(renewedToken(null, second, 'm1', now), null, 'no current token');
});

test('a renewed token replaces the stored login only of its own session, and only when it lasts longer', () => {
  const stored = jwt({ sub: 'u1', kind: 'user', jti: 'j1', sid: 'j1', exp: 1000 });
  assert.ok(replacesStored(stored, jwt({ sub: 'u1', jti: 'j2', sid: 'j1', exp: 2000 })));
  const byHome = jwt({ sub: 'u1', jti: 'j3', sid: 'j1', exp: 3000 });   // the home page renewed it meanwhile
  assert.ok(!replacesStored(byHome, jwt({ sub: 'u1', jti: 'j2', sid: 'j1', exp: 2000 })), 'not with an older one');
  assert.ok(replacesStored(byHome, jwt({ sub: 'u1', jti: 'j4', sid: 'j1', exp: 4000 })));
  assert.ok(!replacesStored(jwt({ sub: 'u1', jti: 'k1', sid: 'k1', exp: 1000 }), jwt({ sub: 'u1', jti: 'j5', sid: 'j1', exp: 5000 })),
    'another login is left alone');
  assert.ok(replacesStored(jwt({ sub: 'u1', jti: 'j0', exp: 1000 }), jwt({ sub: 'u1', jti: 'j6', sid: 'j0', exp: 2000 })),
    'a stored token without sid is its own session');
  assert.ok(!replacesStored(null, jwt({ sub: 'u1', jti: 'j2', sid: 'j1', exp: 2000 })), 'logged out: nothing to replace');
});

test('outgoing frames carry what docs/protocol.md says', () => {
  assert.deepEqual(out.chat('m', 'c', 't'), { type: 'chat', meetingId: 'm', clientMsgId: 'c', text: 't' });
  assert.deepEqual(JSON.parse(JSON.stringify(out.join('m', 'tok', null))), { type: 'join', meetingId: 'm', token: 'tok' });
  assert.equal(out.join('m', 'tok', 'AB:CD').fingerprint, 'AB:CD');
  assert.deepEqual(JSON.parse(JSON.stringify(out.join('m', 'tok', null, 'old-socket'))),
    { type: 'join', meetingId: 'm', token: 'tok', replaces: 'old-socket' }, 'a re-join names the socket it replaces');
  assert.deepEqual(out.mediaState('m', [{ mid: '0', kind: 'audio', source: 'microphone', muted: true }]).type, 'media-state');
  assert.deepEqual(JSON.parse(JSON.stringify(out.mediaSubscribe('m'))), { type: 'media-subscribe', meetingId: 'm' });
});

test("a participant-media frame sets that person's mute flags, and nothing else", async () => {
  const { applyParticipantMedia } = await import('../../main/resources/static/meeting/frames.js');
  const tracks = remoteTracks([
    { mid: '0', socketId: 'a', kind: 'audio', source: 'microphone', muted: false },
    { mid: '1', socketId: 'a', kind: 'video', source: 'camera', muted: false },
    { mid: '2', socketId: 'b', kind: 'audio', source: 'microphone', muted: false },
  ]);
  const next = applyParticipantMedia(tracks, { type: 'participant-media', socketId: 'a',
    tracks: [{ kind: 'audio', source: 'microphone', muted: true }, { kind: 'video', source: 'camera', muted: false }] });
  assert.notEqual(next, tracks);
  assert.deepEqual(mediaStateOf(next, 'a'), { audioMuted: true, videoOff: false });
  assert.deepEqual(mediaStateOf(next, 'b'), { audioMuted: false, videoOff: true });
  assert.equal(tracks.get('0').muted, false, 'the old map is left as it was');
  const same = { type: 'participant-media', socketId: 'a', tracks: [{ kind: 'video', source: 'camera', muted: false }] };
  assert.equal(applyParticipantMedia(tracks, same), tracks, 'no change: the same map');
  for (const bad of [null, {}, { socketId: 5, tracks: [] }, { socketId: 'a', tracks: 'x' },
    { socketId: 'a', tracks: [null, { source: 'microphone', muted: 'yes' }] }]) {
    assert.equal(applyParticipantMedia(tracks, bad), tracks);
  }
});
