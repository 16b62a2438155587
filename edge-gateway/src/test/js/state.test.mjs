// node --test edge-gateway/src/test/js/ — the meeting page's store (static/meeting/state.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from '../../main/resources/static/meeting/state.js';
import { qualityLevel, qualityLabel } from '../../main/resources/static/meeting/quality.js';

const ann = { socketId: 'a', participantId: 'p:a', displayName: 'Ann', role: 'guest' };
const bob = { socketId: 'b', participantId: 'p:b', displayName: 'Bob', role: 'participant' };

test('listeners hear the changes of their topic only', () => {
  const store = createStore();
  const heard = [];
  store.on('participants', () => heard.push('participants'));
  store.on('panel', () => heard.push('panel'));
  store.addParticipant(ann);
  store.openPanel('chat');
  store.setSpeaker('a');
  assert.deepEqual(heard, ['participants', 'panel']);
  assert.throws(() => store.on('nonsense', () => {}));
});

test('a broken listener does not stop the others', () => {
  const store = createStore();
  let second = false;
  const warn = console.warn;
  console.warn = () => {};
  try {
    store.on('speaker', () => { throw new Error('boom'); });
    store.on('speaker', () => { second = true; });
    store.setSpeaker('a');
  } finally {
    console.warn = warn;
  }
  assert.ok(second);
});

test('participants come and go; leaving clears their pin, speaker mark and quality', () => {
  const store = createStore();
  store.setParticipants([ann]);
  assert.equal(store.addParticipant(bob), true);
  assert.equal(store.addParticipant(bob), false, 'the same socket again is not new');
  store.setTileKeys(['a|camera', 'b|camera']);
  store.togglePin('b|camera');
  store.setSpeaker('b');
  store.setQuality('b', 'poor');
  assert.equal(store.removeParticipant('b'), true);
  const s = store.get();
  assert.equal(s.layout.pinned, null);
  assert.equal(s.speaker, null);
  assert.equal(s.quality.has('b'), false);
  assert.equal(store.nameOf('a'), 'Ann');
  assert.equal(store.nameOf('b'), '');
  assert.equal(store.removeParticipant('b'), false);
});

test('pinning toggles, and a pin of a tile that went away is dropped', () => {
  const store = createStore();
  store.setTileKeys(['a|camera', 'a|screen']);
  store.togglePin('a|screen');
  assert.equal(store.get().layout.pinned, 'a|screen');
  store.togglePin('a|screen');
  assert.equal(store.get().layout.pinned, null);
  store.togglePin('a|screen');
  store.setTileKeys(['a|camera']);
  assert.equal(store.get().layout.pinned, null);
  store.togglePin('self');
  store.setTileKeys([]);
  assert.equal(store.get().layout.pinned, 'self', 'your own tile is always there');
});

test('grid and speaker view; pages are never negative', () => {
  const store = createStore();
  assert.equal(store.get().layout.mode, 'grid');
  store.toggleMode();
  assert.equal(store.get().layout.mode, 'speaker');
  store.setMode('carousel');
  assert.equal(store.get().layout.mode, 'speaker');
  store.setPage(-4);
  assert.equal(store.get().layout.page, 0);
  store.setPage('2');
  assert.equal(store.get().layout.page, 2);
});

test('messages count as unread only while the chat is closed, and opening it clears them', () => {
  const store = createStore();
  store.messageArrived(false);
  store.messageArrived(false);
  store.messageArrived(true);
  assert.equal(store.get().unread, 2, 'your own messages never count');
  store.togglePanel('participants');
  store.messageArrived(false);
  assert.equal(store.get().unread, 3);
  store.togglePanel('chat');
  assert.deepEqual(store.get().panels, { chat: true, participants: true }, 'both open at once on a wide screen');
  assert.deepEqual(store.openPanels(), ['participants', 'chat']);
  assert.equal(store.get().unread, 0);
  store.messageArrived(false);
  assert.equal(store.get().unread, 0);
  store.closePanel();
  assert.deepEqual(store.openPanels(), ['participants'], 'Escape closes the panel opened last');
  store.messageArrived(false);
  assert.equal(store.get().unread, 1);
  store.togglePanel('chat', true);
  assert.deepEqual(store.get().panels, { chat: true, participants: false }, 'alone: a phone shows one sheet');
  store.togglePanel('chat');
  assert.deepEqual(store.openPanels(), []);
  store.closePanel();
  store.closePanel('participants');
  store.openPanel('nonsense');
  assert.deepEqual(store.get().panels, { chat: false, participants: false });
  store.openPanel('participants');
  store.openPanel('chat');
  store.openPanel('participants');
  assert.deepEqual(store.openPanels(), ['chat', 'participants'], 're-opening moves a panel to the end');
  store.closePanel('chat');
  assert.deepEqual(store.openPanels(), ['participants']);
});

test('device choices and local media flags', () => {
  const store = createStore();
  store.setDevice('videoinput', 'cam-2');
  store.setDevice('nonsense', 'x');
  store.setDevice('audioinput', 42);
  assert.deepEqual(store.get().devices, { audioinput: '', videoinput: 'cam-2', audiooutput: '' });
  store.setLocal({ micOn: false });
  assert.equal(store.get().local.micOn, false);
  assert.equal(store.get().local.camOn, true);
});

test('connection quality from two statistics samples', () => {
  const at = (received, lost, jitter = 0.005) => ({ packetsReceived: received, packetsLost: lost, jitter });
  assert.equal(qualityLevel(null, at(100, 0)), 'unknown');
  assert.equal(qualityLevel(at(100, 0), at(100, 0)), 'unknown', 'nothing arrived');
  assert.equal(qualityLevel(at(100, 0), at(400, 0)), 'good');
  assert.equal(qualityLevel(at(100, 0), at(400, 10)), 'fair');
  assert.equal(qualityLevel(at(100, 0), at(400, 60)), 'poor');
  assert.equal(qualityLevel(at(100, 0), at(400, 0, 0.05)), 'fair');
  assert.equal(qualityLevel(at(100, 0), at(400, 0, 0.2)), 'poor');
  assert.equal(qualityLevel(at(100, 0), at(100, 30)), 'poor', 'only losses');
  assert.equal(qualityLabel('good'), 'Good connection');
  assert.equal(qualityLabel(undefined), 'Connection quality unknown');
});
