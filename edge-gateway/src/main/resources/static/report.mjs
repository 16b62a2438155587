// The meeting report page (/meetings/{id}/report): reads GET /api/v1/meetings/{id}/analytics with the host's token
// (?token= or the token the home page keeps) and draws server-independent SVG charts from it (report-model.mjs).
import { TOKEN_KEY } from './home-model.mjs';
import { bars, charts, columns, spokenDuration, outcome, stepLine } from './report-model.mjs';

const SVG = 'http://www.w3.org/2000/svg';
const main = document.getElementById('report');
const meetingId = main.dataset.meetingId;

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

function card(title) {
  const section = document.createElement('section');
  section.className = 'card chart-card';
  const h = document.createElement('h2');
  h.textContent = title;
  section.append(h);
  document.getElementById('report-charts').append(section);
  return section;
}

function chartSvg(width, height, label) {
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, 'data-testid': 'analytics-chart' });
}

/** The plot area of a chart over the meeting's time: axes, the count scale (0 to `top`) and the time shown. */
function plotArea(W, H, L, B, top, end) {
  const g = svg('g', { transform: `translate(${L},5)` });
  g.append(svg('line', { class: 'axis', x1: 0, y1: H - B - 5, x2: W - L - 5, y2: H - B - 5 }));
  g.append(svg('line', { class: 'axis', x1: 0, y1: 0, x2: 0, y2: H - B - 5 }));
  g.append(svg('text', { x: -6, y: 8, 'text-anchor': 'end' }, String(top)));
  g.append(svg('text', { x: -6, y: H - B - 5, 'text-anchor': 'end' }, '0'));
  g.append(svg('text', { x: W - L - 5, y: H - B + 10, 'text-anchor': 'end' }, spokenDuration(end)));
  return g;
}

function timelineChart(c) {
  const W = 360; const H = 140; const L = 30; const B = 20;
  const { d, top, end } = stepLine(c.timeline, c.durationMs, W - L - 5, H - B - 5);
  const s = chartSvg(W, H, c.title);
  const g = plotArea(W, H, L, B, top, end);
  if (d) g.append(svg('path', { class: 'line', d }));
  else g.append(svg('text', { class: 'empty', x: 10, y: 40 }, 'Nobody joined yet'));
  s.append(g);
  card(c.title).append(s);
}

function columnChart(c) {
  const W = 360; const H = 140; const L = 30; const B = 20;
  const { cols, top, end } = columns(c.points, c.durationMs, W - L - 5, H - B - 5);
  const s = chartSvg(W, H, c.title);
  const g = plotArea(W, H, L, B, top, end);
  for (const col of cols) {
    const rect = svg('rect', { class: 'bar', x: col.x.toFixed(1), y: col.y.toFixed(1), width: col.w.toFixed(1),
      height: Math.max(1, col.h).toFixed(1) });
    const during = col.minutes > 1 ? ` in ${col.minutes} minutes` : '';
    rect.append(svg('title', {}, `${col.messages} message${col.messages === 1 ? '' : 's'}${during}`));
    g.append(rect);
  }
  if (cols.length === 0) g.append(svg('text', { class: 'empty', x: 10, y: 40 }, c.empty));
  s.append(g);
  card(c.title).append(s);
}

function barChart(c) {
  const W = 360; const ROW = 24; const L = 110; const R = 70;
  const rows = bars(c.items, W - L - R, ROW);
  const H = Math.max(ROW, rows.length * ROW) + 4;
  const s = chartSvg(W, H, c.title);
  if (rows.length === 0) s.append(svg('text', { class: 'empty', x: 10, y: 16 }, 'No samples'));
  rows.forEach((r, k) => {
    s.append(svg('text', { x: L - 6, y: r.y + 16, 'text-anchor': 'end' }, r.label));
    s.append(svg('rect', { class: 'bar', x: L, y: r.y + 4, width: Math.max(1, r.w).toFixed(1), height: ROW - 8 }));
    s.append(svg('text', { x: L + r.w + 6, y: r.y + 16 }, c.items[k].text));
  });
  card(c.title).append(s);
}

function summary(r) {
  const dl = document.getElementById('report-summary');
  const rows = [
    ['Started', r.startedAt ? new Date(r.startedAt).toLocaleString() : '—'],
    ['Duration', r.endedAt ? spokenDuration(r.durationMs) : `${spokenDuration(r.durationMs)} (still running)`],
    ['Most people at once', String(r.peakParticipants || 0)],
    ['People', String((r.participants || []).length)],
    ['Chat messages', String(r.chatMessages || 0)],
  ];
  for (const [k, v] of rows) {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    dl.append(dt, dd);
  }
  dl.hidden = false;
}

async function load() {
  const status = document.getElementById('report-status');
  const params = new URLSearchParams(location.search);
  const token = params.get('token') || localStorage.getItem(TOKEN_KEY);
  if (params.has('token')) history.replaceState(null, '', location.pathname);   // not left in the address bar
  let res; let body = null;
  try {
    res = await fetch(`/api/v1/meetings/${encodeURIComponent(meetingId)}/analytics`,
      { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    body = await res.json().catch(() => null);
  } catch (e) {
    status.textContent = `Could not load the report: ${e.message}`;
    return;
  }
  const o = outcome(res.status, body);
  if (o.kind !== 'report') {
    status.textContent = o.message;
    status.dataset.state = 'refused';
    return;
  }
  status.textContent = 'The meeting\'s figures (each event counted once).';
  status.dataset.state = 'ready';
  summary(body);
  const c = charts(body);
  timelineChart(c.timeline);
  barChart(c.presence);
  columnChart(c.chat);
  barChart(c.loss);
  barChart(c.rtt);
}

load();
