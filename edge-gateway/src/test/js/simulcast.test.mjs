// node --test edge-gateway/src/test/js/ — the camera's simulcast layers (static/meeting/publish.js): three
// encodings (rid q/h/f at 1/4, 1/2 and full size, lowest first) for a camera of 960 px and more, two for a
// middling one, one stream for a small one; a screen share is always one stream; a browser that refuses
// sendEncodings still publishes. The browser parts the modules touch are small fakes here.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.RTCPeerConnection = class { addEventListener() {} close() {} };
globalThis.window = globalThis;
globalThis.document = { body: { dataset: { meetingId: 'm-1' } }, createElement: () => ({}) };
globalThis.location = { search: '' };

const { cameraLayers, addPublishTransceiver, CAMERA_LAYERS } = await import('../../main/resources/static/meeting/publish.js');
const { media } = await import('../../main/resources/static/meeting/media.js');

test('three layers, lowest first, from 960 px (and when the size is unknown)', () => {
  for (const w of [1280, 960, undefined]) {
    assert.deepEqual(cameraLayers(w).map((l) => [l.rid, l.scaleResolutionDownBy]), [['q', 4], ['h', 2], ['f', 1]]);
  }
  assert.deepEqual(cameraLayers(640).map((l) => [l.rid, l.scaleResolutionDownBy]), [['h', 2], ['f', 1]]);
  assert.deepEqual(cameraLayers(320), []);
  assert.ok(CAMERA_LAYERS.every((l, i, a) => i === 0 || l.maxBitrate > a[i - 1].maxBitrate), 'rates rise with size');
});

function fakePc({ refuseEncodings = false } = {}) {
  const calls = [];
  return {
    calls,
    addTransceiver(trackOrKind, init) {
      if (refuseEncodings && init.sendEncodings) throw new TypeError('sendEncodings not supported');
      calls.push(init);
      return { mid: null, direction: init.direction, sender: { replaceTrack: () => Promise.resolve() } };
    },
  };
}

const track = (width) => ({ kind: 'video', getSettings: () => ({ width }) });

test('the camera is published with its layers, a screen share as one stream', () => {
  media.pubTx = [];
  const pc = fakePc();
  addPublishTransceiver(pc, 'video', 'camera', track(1280), null);
  addPublishTransceiver(pc, 'video', 'screen', track(1920), null);
  assert.deepEqual(pc.calls[0].sendEncodings.map((e) => e.rid), ['q', 'h', 'f']);
  assert.equal(pc.calls[0].direction, 'sendonly');
  assert.equal(pc.calls[1].sendEncodings, undefined);
});

test('a small camera, or a browser refusing sendEncodings, publishes one stream', () => {
  media.pubTx = [];
  const small = fakePc();
  addPublishTransceiver(small, 'video', 'camera', track(320), null);
  assert.equal(small.calls[0].sendEncodings, undefined);
  const old = fakePc({ refuseEncodings: true });
  addPublishTransceiver(old, 'video', 'camera', track(1280), null);
  assert.equal(old.calls.length, 1);
  assert.equal(old.calls[0].sendEncodings, undefined);
  assert.equal(media.pubTx.length, 2);
});
