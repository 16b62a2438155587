// The stats overlay, toggled from the toolbar ("Stats", key I): once a second each remote video tile shows what
// arrives (size, frames per second, rate, loss: getStats of the subscribe connection) and what the forwarder does
// for this page (layer, pause, rate: its `media-stats` frames), and a summary shows the forwarder's downlink
// estimate, loss and RTT and what this page sends. While it is open the page asks the forwarder for its figures
// (`media-stats` with on: true) and repeats the request every few seconds, so a rejoin or a move to another
// forwarder picks it up again; closing it says on: false. Figures: statsview.js.
import { meeting, onFrame, send } from './connection.js';
import { out } from './frames.js';
import { media } from './media.js';
import { store } from './state.js';
import { inboundVideo, outboundVideo, serverStatsOf, summaryLines, tileLines } from './statsview.js';
import { SELF, allTiles } from './tiles.js';

const $ = (id) => document.getElementById(id);
/** How often the page repeats its request while open (the forwarder drops a request not repeated for 20 s). */
export const RENEW_MS = 5000;

const overlay = { open: false, sampler: null, renewer: null, server: null, prevIn: [], prevOut: [], lines: {} };

async function reports(pc) {
  if (!pc) return [];
  const list = [];
  (await pc.getStats()).forEach((r) => list.push(r));
  return list;
}

function ask(on) {
  send(out.mediaStats(meeting.id, on));
}

function tileBox(tile) {
  let box = tile.el.querySelector('.tile-stats');
  if (!box) {
    box = document.createElement('pre');
    box.className = 'tile-stats';
    box.dataset.testid = 'tile-stats';
    tile.el.append(box);
  }
  return box;
}

function render(inbound, outbound) {
  const server = overlay.server;
  const summary = summaryLines(server, outbound);
  $('stats-panel').textContent = summary.join('\n');
  overlay.lines = { summary };
  for (const tile of allTiles()) {
    if (tile.key === SELF) continue;
    const key = tile.socketId + '|' + tile.source;
    const t = server ? server.tracks.get(key) : undefined;
    const lines = tileLines(inbound[key] || null, t);
    const box = tileBox(tile);
    box.textContent = lines.join('\n');
    box.dataset.state = t ? t.state : '';
    box.dataset.layer = t ? String(t.layer) : '';
    overlay.lines[key] = lines;
  }
}

async function sample() {
  if (!overlay.open || store.get().view !== 'meeting') return;
  try {
    const [inNow, outNow] = await Promise.all([reports(media.subscribePc), reports(media.publishPc)]);
    const inbound = inboundVideo(overlay.prevIn, inNow, store.get().tracks);
    const outbound = outboundVideo(overlay.prevOut, outNow);
    overlay.prevIn = inNow;
    overlay.prevOut = outNow;
    if (overlay.open) render(inbound, outbound);
  } catch (e) {
    // a connection closed between two samples: the next one has the new connections
  }
}

export function setStatsOpen(open) {
  if (open === overlay.open) return;
  overlay.open = open;
  const b = $('stats-toggle');
  b.setAttribute('aria-pressed', String(open));
  b.dataset.state = open ? 'on' : 'off';
  $('stats-panel').hidden = !open;
  document.body.dataset.stats = open ? 'on' : '';
  clearInterval(overlay.sampler);
  clearInterval(overlay.renewer);
  if (open) {
    ask(true);
    overlay.renewer = setInterval(() => ask(true), RENEW_MS);
    overlay.sampler = setInterval(sample, 1000);
    sample();
  } else {
    ask(false);
    overlay.server = null;
    overlay.prevIn = [];
    overlay.prevOut = [];
    overlay.lines = {};
    for (const box of document.querySelectorAll('.tile-stats')) box.remove();
  }
}

/** The overlay's latest lines (tests): { summary: [...], "socketId|source": [...] }, and whether it is open. */
export function statsOverlay() {
  return { open: overlay.open, lines: overlay.lines, server: overlay.server };
}

export function initStatsOverlay() {
  $('stats-toggle').addEventListener('click', () => setStatsOpen(!overlay.open));
  onFrame('media-stats', (f) => {
    overlay.server = serverStatsOf(f);
  });
  store.on('view', (s) => { if (s.view !== 'meeting') setStatsOpen(false); });
}
