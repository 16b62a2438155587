// node --test edge-gateway/src/test/js/ — the chat's missing messages after a re-join (static/meeting/chatgaps.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingSeqs, REFILL_DELAYS, refillAgain } from '../../main/resources/static/meeting/chatgaps.js';

test('the seqs missing between the lowest and highest held are found, in order', () => {
  assert.deepEqual(missingSeqs(new Set([3, 4, 5])), []);
  assert.deepEqual(missingSeqs(new Set([7, 3, 4, 9])), [5, 6, 8]);
  assert.deepEqual(missingSeqs([]), []);
  assert.deepEqual(missingSeqs([12]), []);
  assert.deepEqual(missingSeqs([1, 'x', 2.5, 4]), [2, 3], 'what is not a whole number is ignored');
});

test('a huge hole is reported only up to the limit', () => {
  assert.equal(missingSeqs([1, 1000000]).length, 50);
  assert.deepEqual(missingSeqs([1, 10], 3), [2, 3, 4]);
});

test('the history is read again only while something is missing, a bounded number of times', () => {
  assert.equal(refillAgain(0, []), false);
  assert.equal(refillAgain(0, [5]), true);
  assert.equal(refillAgain(REFILL_DELAYS.length - 1, [5]), false);
});
