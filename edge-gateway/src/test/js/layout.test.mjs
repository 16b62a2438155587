// node --test edge-gateway/src/test/js/ — the meeting page's layout maths (static/meeting/layout.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrange, fitGrid, initials, isPhone, maxColumns, perPage } from '../../main/resources/static/meeting/layout.js';

test('one tile fills the box, limited by its aspect ratio', () => {
  const g = fitGrid(1, 1600, 900, { gap: 8 });
  assert.deepEqual([g.cols, g.rows, g.tileWidth, g.tileHeight], [1, 1, 1600, 900]);
  const tall = fitGrid(1, 800, 900, { gap: 8 });
  assert.equal(tall.tileWidth, 800);
  assert.equal(tall.tileHeight, 450);
});

test('two tiles sit side by side in a wide box and one above the other in a tall one', () => {
  const wide = fitGrid(2, 1200, 600, { gap: 8 });
  assert.deepEqual([wide.cols, wide.rows], [2, 1]);
  assert.ok(wide.tileWidth >= 590);
  const tall = fitGrid(2, 390, 700, { gap: 8 });
  assert.deepEqual([tall.cols, tall.rows], [1, 2]);
});

test('tiles get smaller as people come, and never overflow the box', () => {
  let last = Infinity;
  for (let n = 1; n <= 16; n++) {
    const g = fitGrid(n, 1280, 720, { gap: 8 });
    assert.ok(g.cols * g.rows >= n, 'room for everyone');
    assert.ok(g.cols * g.tileWidth + (g.cols - 1) * 8 <= 1280, 'fits the width');
    assert.ok(g.rows * g.tileHeight + (g.rows - 1) * 8 <= 720, 'fits the height');
    assert.ok(g.tileWidth <= last, 'not larger than with fewer people');
    last = g.tileWidth;
  }
});

test('a phone gets at most two columns', () => {
  const g = fitGrid(6, 390, 700, { gap: 8, maxCols: maxColumns(390) });
  assert.ok(g.cols <= 2);
  assert.equal(maxColumns(1280), Infinity);
  assert.ok(isPhone(390));
  assert.ok(!isPhone(1280));
});

test('bad sizes give an empty cell, not an exception', () => {
  for (const [n, w, h] of [[0, 100, 100], [3, 0, 0], [NaN, -5, 'x'], [undefined, undefined, undefined]]) {
    const g = fitGrid(n, w, h);
    assert.ok(g.cols >= 1 && g.rows >= 1);
    assert.ok(Number.isFinite(g.tileWidth) && g.tileWidth >= 0);
  }
});

test('alone you fill the grid; with others you are a picture-in-picture', () => {
  assert.deepEqual(arrange({ cameras: [], self: 'self' }).grid, ['self']);
  const two = arrange({ cameras: ['a|camera'], self: 'self' });
  assert.deepEqual(two.grid, ['a|camera']);
  assert.equal(two.pip, 'self');
  assert.equal(two.focus, null);
});

test('a pinned tile takes the stage, everyone else goes to the filmstrip', () => {
  const a = arrange({ cameras: ['a|camera', 'b|camera'], self: 'self', pinned: 'b|camera' });
  assert.equal(a.focus, 'b|camera');
  assert.deepEqual(a.strip, ['a|camera', 'self']);
  assert.deepEqual(a.grid, []);
  assert.equal(a.pip, null);
  // your own tile can be pinned too; an unknown pin is ignored
  assert.equal(arrange({ cameras: ['a|camera'], self: 'self', pinned: 'self' }).focus, 'self');
  assert.equal(arrange({ cameras: ['a|camera'], self: 'self', pinned: 'gone|camera' }).focus, null);
});

test('a shared screen takes the stage unless something is pinned', () => {
  const a = arrange({ cameras: ['a|camera', 'b|camera'], screens: ['a|screen'], self: 'self' });
  assert.equal(a.focus, 'a|screen');
  assert.deepEqual(a.strip, ['a|camera', 'b|camera', 'self']);
  const pinned = arrange({ cameras: ['a|camera'], screens: ['a|screen'], self: 'self', pinned: 'a|camera' });
  assert.equal(pinned.focus, 'a|camera');
});

test('speaker view puts the active speaker on the stage, else the first person', () => {
  const base = { cameras: ['a|camera', 'b|camera'], self: 'self', mode: 'speaker' };
  assert.equal(arrange({ ...base, speaker: 'b|camera' }).focus, 'b|camera');
  assert.equal(arrange({ ...base, speaker: null }).focus, 'a|camera');
  assert.equal(arrange({ ...base, speaker: 'self-socket|camera' }).focus, 'a|camera');
  assert.equal(arrange({ ...base, mode: 'grid', speaker: 'b|camera' }).focus, null);
});

test('the grid is paged and the page is clamped', () => {
  const cameras = Array.from({ length: 20 }, (_, i) => 'p' + i + '|camera');
  const first = arrange({ cameras, self: 'self', perPage: 9 });
  assert.equal(first.pages, 3);
  assert.deepEqual(first.grid, cameras.slice(0, 9));
  const last = arrange({ cameras, self: 'self', perPage: 9, page: 7 });
  assert.equal(last.page, 2);
  assert.deepEqual(last.grid, cameras.slice(18));
  assert.equal(arrange({ cameras, self: 'self', perPage: 9, page: -3 }).page, 0);
  assert.equal(perPage(390, 700), 6);
  assert.equal(perPage(1280, 800), 9);
});

test('initials of a name', () => {
  assert.equal(initials('Ada Lovelace'), 'AL');
  assert.equal(initials('bob'), 'B');
  assert.equal(initials('  Jean  Paul  Sartre '), 'JS');
  assert.equal(initials(''), '?');
  assert.equal(initials(null), '?');
  assert.equal(initials('émile zola'), 'ÉZ');
});
