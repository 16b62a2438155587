// node --test edge-gateway/src/test/js/ — the page's answer to `media-moved` (static/meeting/media.js): both
// PeerConnections to the old forwarder are closed at once and a new publish connection is negotiated, without a
// reload. The browser parts the module touches (document, RTCPeerConnection, window) are small fakes here.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const created = [];
class FakePc {
  constructor() {
    this.closed = false;
    this.connectionState = 'new';
    this.transceivers = [];
    this.remoteDescription = null;
    created.push(this);
  }
  addEventListener() {}
  addTransceiver(kind, init) { const t = { kind, init, sender: { track: null, replaceTrack: async () => {} } }; this.transceivers.push(t); return t; }
  getTransceivers() { return this.transceivers; }
  createOffer() { return new Promise(() => {}); } // the negotiation itself is not under test: it stays pending
  close() { this.closed = true; this.connectionState = 'closed'; }
}
globalThis.RTCPeerConnection = FakePc;
globalThis.window = globalThis;
globalThis.document = { body: { dataset: { meetingId: 'm-1' } }, createElement: () => ({}) };

const { media, mediaMoved } = await import('../../main/resources/static/meeting/media.js');

test('media-moved throws both old connections away and publishes again on a new one', () => {
  const oldPublish = new FakePc();
  const oldSubscribe = new FakePc();
  Object.assign(media, { active: true, joined: true, publishPc: oldPublish, subscribePc: oldSubscribe, retryAttempts: 3 });
  const gen = media.gen;
  const before = created.length;

  assert.equal(mediaMoved(), true);

  assert.ok(oldPublish.closed, 'old publish PC closed');
  assert.ok(oldSubscribe.closed, 'old subscribe PC closed');
  assert.equal(media.subscribePc, null);
  assert.ok(media.gen > gen, 'work for the old connections is stale');
  assert.equal(media.retryAttempts, 0, 'no backoff: this is not a failure of ours');
  assert.equal(created.length, before + 1, 'one new publish PC');
  assert.equal(media.publishPc, created[created.length - 1]);
  assert.notEqual(media.publishPc, oldPublish);
});

test('media-moved does nothing before the join (the next joined starts media anyway)', () => {
  const pc = new FakePc();
  Object.assign(media, { active: true, joined: false, publishPc: pc });
  const before = created.length;
  assert.equal(mediaMoved(), false);
  assert.equal(pc.closed, false);
  assert.equal(created.length, before);
});
