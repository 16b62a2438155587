// The stats overlay (toolbar "Stats", docs/protocol.md "media-stats"): what the page measures itself with getStats()
// and what the forwarder says it does for this page, as text for each tile and a summary. Pure (no DOM, no
// WebRTC), so node --test covers it (edge-gateway/src/test/js/statsview.test.mjs).

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const STATES = ['forwarding', 'paused', 'starting'];

/** Bits per second as people read them: "850 kbit/s", "2.4 Mbit/s"; "–" when unknown. */
export function formatBitrate(bps) {
  if (typeof bps !== 'number' || !Number.isFinite(bps) || bps < 0) return '–';
  if (bps >= 1e6) return (bps / 1e6).toFixed(bps >= 1e7 ? 0 : 1) + ' Mbit/s';
  return Math.round(bps / 1e3) + ' kbit/s';
}

const rateOf = (prev, now, field) => {
  if (!prev) return null;
  const seconds = (num(now.timestamp) - num(prev.timestamp)) / 1000;
  return seconds > 0 ? Math.max(0, num(now[field]) - num(prev[field])) * 8 / seconds : null;
};

/**
 * The remote video tracks as this page receives them, keyed "socketId|source": size, frames per second, rate and the
 * loss since the previous sample. `prev` and `now` are getStats() reports as arrays of plain objects; `tracks` is the
 * subscribe offer's mid -> { socketId, kind, source }.
 */
export function inboundVideo(prev, now, tracks) {
  const before = new Map((prev || []).map((r) => [r.id, r]));
  const out = {};
  for (const r of now || []) {
    if (!r || r.type !== 'inbound-rtp' || (r.kind || r.mediaType) !== 'video' || r.mid == null) continue;
    const info = tracks.get(String(r.mid));
    if (!info) continue;
    const p = before.get(r.id);
    const lost = p ? Math.max(0, num(r.packetsLost) - num(p.packetsLost)) : 0;
    const received = p ? Math.max(0, num(r.packetsReceived) - num(p.packetsReceived)) : 0;
    out[info.socketId + '|' + info.source] = {
      width: num(r.frameWidth), height: num(r.frameHeight), fps: num(r.framesPerSecond),
      bitrate: rateOf(p, r, 'bytesReceived'),
      loss: received + lost > 0 ? lost / (received + lost) : 0,
    };
  }
  return out;
}

/** The page's own video encodings (simulcast layers, lowest first): rid, size, fps, rate and what limits them. */
export function outboundVideo(prev, now) {
  const before = new Map((prev || []).map((r) => [r.id, r]));
  const out = [];
  for (const r of now || []) {
    if (!r || r.type !== 'outbound-rtp' || (r.kind || r.mediaType) !== 'video') continue;
    out.push({
      rid: typeof r.rid === 'string' ? r.rid : '',
      width: num(r.frameWidth), height: num(r.frameHeight), fps: num(r.framesPerSecond),
      bitrate: rateOf(before.get(r.id), r, 'bytesSent'),
      limited: typeof r.qualityLimitationReason === 'string' && r.qualityLimitationReason !== 'none' ? r.qualityLimitationReason : null,
    });
  }
  return out.sort((a, b) => a.width - b.width || a.rid.localeCompare(b.rid));
}

/** A `media-stats` frame as the overlay keeps it, or null when unusable; tracks keyed "socketId|source". */
export function serverStatsOf(f) {
  if (!f || typeof f !== 'object' || typeof f.estimate !== 'number') return null;
  const tracks = new Map();
  for (const t of Array.isArray(f.tracks) ? f.tracks : []) {
    if (!t || typeof t.socketId !== 'string' || typeof t.source !== 'string' || !STATES.includes(t.state)) continue;
    tracks.set(t.socketId + '|' + t.source, {
      state: t.state, layer: num(t.layer), target: num(t.target), layers: Math.max(1, num(t.layers)),
      width: num(t.width), bitrate: num(t.bitrate),
    });
  }
  return { estimate: f.estimate, congested: f.congested === true, loss: num(f.loss), rtt: typeof f.rtt === 'number' ? f.rtt : -1, tracks };
}

const pct = (fraction) => (Math.round(num(fraction) * 1000) / 10).toFixed(1) + ' %';

/** What the forwarder does with one track for this page, in words ("layer 1 of 3 → 2 · 640 px · 480 kbit/s"). */
export function serverTrackLine(t) {
  if (!t) return 'server: –';
  if (t.state === 'paused') return 'server: paused';
  if (t.state === 'starting') return 'server: starting' + (t.layers > 1 ? ' (→ layer ' + t.target + ')' : '');
  const layer = t.layers > 1 ? 'layer ' + t.layer + ' of ' + t.layers + (t.target !== t.layer ? ' → ' + t.target : '') : 'one stream';
  return 'server: ' + layer + (t.width > 0 ? ' · ' + t.width + ' px' : '') + ' · ' + formatBitrate(t.bitrate);
}

/** The lines shown on a remote video tile: what arrives (size, fps, rate, loss), then what the forwarder sends. */
export function tileLines(local, server) {
  const lines = [];
  if (local) {
    lines.push((local.width ? local.width + '×' + local.height : 'no video') + (local.fps ? ' · ' + Math.round(local.fps) + ' fps' : '')
      + ' · ' + formatBitrate(local.bitrate) + ' · loss ' + pct(local.loss));
  }
  lines.push(serverTrackLine(server));
  return lines;
}

/** The summary: the forwarder's view of this page's downlink, then what the page sends. */
export function summaryLines(server, outbound) {
  const lines = [];
  if (server) {
    lines.push('Downlink estimate: ' + (server.estimate >= 0 ? formatBitrate(server.estimate) : 'none yet')
      + (server.congested ? ' (congested)' : ''));
    lines.push('Loss ' + pct(server.loss) + (server.rtt >= 0 ? ' · RTT ' + Math.round(server.rtt) + ' ms' : ''));
  } else {
    lines.push('Downlink estimate: waiting for the media server…');
  }
  const sending = (outbound || []).filter((o) => o.width > 0 || o.bitrate);
  if (sending.length) {
    lines.push('Sending: ' + sending.map((o) => (o.rid ? o.rid + ' ' : '') + (o.width ? o.width + '×' + o.height : '')
      + ' ' + formatBitrate(o.bitrate)).join(' · '));
    const limited = sending.find((o) => o.limited);
    if (limited) lines.push('Sending is limited by ' + limited.limited);
  }
  return lines;
}
