// node --test edge-gateway/src/test/js/ — the media-view frame's content (static/meeting/tileview.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PIXELS, MAX_TILES, viewEntry, viewKey, viewOf } from '../../main/resources/static/meeting/tileview.js';
import { out } from '../../main/resources/static/meeting/frames.js';

test('a shown tile is reported in device pixels, rounded and bounded', () => {
  assert.deepEqual(viewEntry('s1', 'camera', { width: 160, height: 90 }, 2), { socketId: 's1', source: 'camera', width: 320, height: 180 });
  assert.deepEqual(viewEntry('s1', 'camera', { width: 320.4, height: 179.6 }, 1), { socketId: 's1', source: 'camera', width: 320, height: 180 });
  assert.deepEqual(viewEntry('s1', 'screen', { width: 9000, height: 0.2 }, 1),
    { socketId: 's1', source: 'screen', width: MAX_PIXELS, height: 1 });
  assert.deepEqual(viewEntry('s1', 'screen', { width: 9000, height: 5000 }, 2),
    { socketId: 's1', source: 'screen', width: MAX_PIXELS, height: MAX_PIXELS });
  assert.deepEqual(viewEntry('s1', 'camera', { width: 0.3, height: 0.3 }, 1), { socketId: 's1', source: 'camera', width: 1, height: 1 });
  assert.deepEqual(viewEntry('s1', 'camera', { width: 100, height: 50 }, NaN), { socketId: 's1', source: 'camera', width: 100, height: 50 });
});

test('a tile that is not shown is reported hidden', () => {
  assert.deepEqual(viewEntry('s1', 'camera', null, 1), { socketId: 's1', source: 'camera', hidden: true });
  assert.deepEqual(viewEntry('s1', 'camera', { width: 0, height: 0 }, 1), { socketId: 's1', source: 'camera', hidden: true });
});

test('the view lists each remote video track once, in a stable order, without audio', () => {
  const tracks = new Map([
    ['3', { socketId: 'b', kind: 'video', source: 'screen' }],
    ['0', { socketId: 'b', kind: 'audio', source: 'microphone' }],
    ['1', { socketId: 'b', kind: 'video', source: 'camera' }],
    ['2', { socketId: 'a', kind: 'video', source: 'camera' }],
    ['4', { socketId: 'a', kind: 'video', source: 'camera' }], // a reused section: the same track again
    ['5', { socketId: '', kind: 'video', source: 'camera' }],
  ]);
  const boxes = { 'a|camera': { width: 640, height: 360 }, 'b|camera': null, 'b|screen': { width: 1280, height: 720 } };
  const view = viewOf(tracks, (s, src) => boxes[s + '|' + src], 1);
  assert.deepEqual(view, [
    { socketId: 'a', source: 'camera', width: 640, height: 360 },
    { socketId: 'b', source: 'camera', hidden: true },
    { socketId: 'b', source: 'screen', width: 1280, height: 720 },
  ]);
  assert.equal(viewKey(view), viewKey(viewOf(new Map(Array.from(tracks).reverse()), (s, src) => boxes[s + '|' + src], 1)));
  assert.notEqual(viewKey(view), viewKey(viewOf(tracks, () => null, 1)));
});

test('the view is bounded', () => {
  const tracks = new Map();
  for (let i = 0; i < MAX_TILES + 10; i++) tracks.set(String(i), { socketId: 's' + String(i).padStart(4, '0'), kind: 'video', source: 'camera' });
  assert.equal(viewOf(tracks, () => null, 1).length, MAX_TILES);
});

test('the frame names its type and meeting', () => {
  assert.deepEqual(out.mediaView('m', []), { type: 'media-view', meetingId: 'm', tiles: [] });
});
