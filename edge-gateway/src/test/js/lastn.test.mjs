// node --test edge-gateway/src/test/js/ — last-N (static/meeting/lastn.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LAST_N, keepOrder, lastNOf, speakerIntoPage, withVideo } from '../../main/resources/static/meeting/lastn.js';

const cams = (...ids) => ids.map((id) => id + '|camera');

test('the gateway value is used when it is a whole number in range, else 16', () => {
  assert.equal(lastNOf(4), 4);
  assert.equal(lastNOf(undefined), DEFAULT_LAST_N);
  assert.equal(lastNOf(0), 16);
  assert.equal(lastNOf(2.5), 16);
  assert.equal(lastNOf(1000), 16);
});

test('at most N tiles get video: pinned, screens, the speaker, then the most recent speakers, then page order', () => {
  const shown = [...cams('a', 'b', 'c', 'd', 'e'), 'e|screen'];
  const lastSpoke = new Map([['b', 1], ['d', 3], ['c', 2]]);
  assert.deepEqual([...withVideo({ shown, lastSpoke, n: 3 })].sort(), ['c|camera', 'd|camera', 'e|screen']);
  assert.deepEqual([...withVideo({ shown, lastSpoke, speaker: 'a', n: 3 })].sort(), ['a|camera', 'd|camera', 'e|screen']);
  assert.deepEqual([...withVideo({ shown, lastSpoke, pinned: 'e|camera', n: 2 })].sort(), ['e|camera', 'e|screen']);
  assert.equal(withVideo({ shown, n: 16 }).size, 6, 'fewer tiles than N: all of them');
  assert.deepEqual([...withVideo({ shown: cams('x', 'y', 'z'), n: 2 })], ['x|camera', 'y|camera'], 'nobody spoke: page order');
});

test('the kept order survives comings and goings', () => {
  assert.deepEqual(keepOrder(cams('c', 'a', 'b'), cams('a', 'b', 'c', 'd')), cams('c', 'a', 'b', 'd'));
  assert.deepEqual(keepOrder(cams('c', 'a', 'b'), cams('a', 'd')), cams('a', 'd'));
  assert.deepEqual(keepOrder(undefined, cams('a')), cams('a'));
});

test('the active speaker enters the page being viewed in place of its least recent speaker', () => {
  const order = cams('a', 'b', 'c', 'd', 'e', 'f');
  const lastSpoke = new Map([['a', 5], ['b', 1], ['c', 4]]);
  // f is on page 2 (3 per page); page 1's least recent speaker is b
  assert.deepEqual(speakerIntoPage(order, 'f|camera', 0, 3, lastSpoke), cams('a', 'f', 'c', 'd', 'e', 'b'));
  // already on the page: nothing moves
  assert.deepEqual(speakerIntoPage(order, 'c|camera', 0, 3, lastSpoke), order);
  // viewing page 2: a comes there in place of the last of those who never spoke
  assert.deepEqual(speakerIntoPage(order, 'a|camera', 1, 3, lastSpoke), cams('f', 'b', 'c', 'd', 'e', 'a'));
  // unknown speaker, or the input array: unchanged
  assert.deepEqual(speakerIntoPage(order, 'zz|camera', 0, 3, lastSpoke), order);
  assert.deepEqual(order, cams('a', 'b', 'c', 'd', 'e', 'f'));
});

test('the store keeps when each person last became the speaker, and the gateway last-N within range', async () => {
  const { createStore } = await import('../../main/resources/static/meeting/state.js');
  const store = createStore();
  let layouts = 0;
  store.on('layout', () => { layouts += 1; });
  assert.equal(store.get().lastN, 16);
  store.setLastN(4);
  assert.equal(store.get().lastN, 4);
  assert.equal(layouts, 1);
  store.setLastN('lots');
  assert.equal(store.get().lastN, 16, 'a value the page cannot use: the default');
  store.setSpeaker('a');
  store.setSpeaker('b');
  store.setSpeaker(null);
  store.setSpeaker('a');
  const { lastSpoke } = store.get();
  assert.ok(lastSpoke.get('a') > lastSpoke.get('b'));
  store.removeParticipant('a');
  assert.equal(store.get().lastSpoke.has('a'), false);
});
