// The meeting report's pure parts (report.mjs draws them): what the analytics answer means for the page, and the
// geometry of its charts. No DOM here: node --test runs edge-gateway/src/test/js/report-model.test.mjs.

/** "1 h 02 min", "3 min 20 s", "45 s". */
export function spokenDuration(ms) {
  const s = Math.max(0, Math.round((ms || 0) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(sec).padStart(2, '0')} s`;
  return `${sec} s`;
}

/** What the page shows for the API's answer: {kind: 'report'|'message', message?}. */
export function outcome(status, body) {
  if (status === 200 && body && typeof body === 'object') return { kind: 'report' };
  const code = body && body.error;
  if (status === 401) return { kind: 'message', message: 'Log in as the meeting\'s host to see its report.' };
  if (status === 403) return { kind: 'message', message: 'Only the meeting\'s host (or a co-host) can see its report.' };
  if (status === 404) return { kind: 'message', message: 'There is no such meeting.' };
  if (status === 503 && code === 'analytics_off') {
    return { kind: 'message', message: 'Analytics is off on this server (no ClickHouse is configured), so there is no report.' };
  }
  if (status === 503) return { kind: 'message', message: 'The analytics store did not answer; try again in a moment.' };
  return { kind: 'message', message: `Could not load the report (${status}).` };
}

/**
 * The participants-over-time step line: the SVG path in a width x height box (y grows down), the largest count
 * (the y scale's top) and the total time shown. Each timeline point holds until the next.
 */
export function stepLine(timeline, durationMs, width, height) {
  const points = (timeline || []).filter((p) => Number.isFinite(p.atMs) && Number.isFinite(p.participants));
  const end = Math.max(durationMs || 0, ...points.map((p) => p.atMs), 1);
  const top = Math.max(1, ...points.map((p) => p.participants));
  const x = (t) => (t / end) * width;
  const y = (n) => height - (n / top) * height;
  if (points.length === 0) return { d: '', top, end };
  let d = `M${x(points[0].atMs).toFixed(1)},${y(points[0].participants).toFixed(1)}`;
  for (let i = 1; i < points.length; i++) {
    d += ` H${x(points[i].atMs).toFixed(1)} V${y(points[i].participants).toFixed(1)}`;
  }
  d += ` H${x(end).toFixed(1)}`;
  return { d, top, end };
}

/**
 * Horizontal bars, one per item: {label, value, y, w} in a box `width` wide, `rowHeight` per row; the longest bar
 * is `width` long (a zero maximum gives zero-length bars).
 */
export function bars(items, width, rowHeight) {
  const max = Math.max(0, ...items.map((i) => i.value || 0));
  return items.map((it, k) => ({
    label: it.label, value: it.value || 0, y: k * rowHeight, w: max > 0 ? ((it.value || 0) / max) * width : 0,
  }));
}

/**
 * Chat messages per minute as columns over the meeting's time: one {x, y, w, h, messages, minutes} per column with
 * chat, in a width x height box (y grows down); the tallest column is `height` high. A column is one minute, or
 * `minutes` of them when the meeting is too long for a minute to get 2 px. `top` is the most messages in a column,
 * `end` the total time shown (the meeting, or at least to the end of its last minute with chat).
 */
export function columns(points, durationMs, width, height) {
  const minutes = (points || []).filter((p) => Number.isFinite(p.atMs) && p.atMs >= 0 && Number.isFinite(p.messages) && p.messages > 0);
  const end = Math.max(durationMs || 0, ...minutes.map((p) => p.atMs + 60_000), 1);
  const per = Math.max(1, Math.ceil((end / 60_000) / Math.max(1, width / 2)));
  const span = per * 60_000;
  const buckets = new Map();
  for (const p of minutes) {
    const at = Math.floor(p.atMs / span) * span;
    buckets.set(at, (buckets.get(at) || 0) + p.messages);
  }
  const top = Math.max(1, ...buckets.values());
  const w = Math.max(1, (span / end) * width - 1);
  return {
    top,
    end,
    minutes: per,
    cols: [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([at, messages]) => {
      const h = (messages / top) * height;
      return { x: (at / end) * width, y: height - h, w, h, messages, minutes: per };
    }),
  };
}

/**
 * What the chat chart says when it has no column: "No chat", or, when messages were counted but none could be placed
 * in time (the analytics store holds no join to count the minutes from), how many there were.
 */
export function chatEmpty(total, points) {
  const n = Number.isFinite(total) && total > 0 ? total : 0;
  const placed = (points || []).some((p) => Number.isFinite(p.messages) && p.messages > 0);
  if (n === 0 || placed) return 'No chat';
  return `${n} message${n === 1 ? '' : 's'}, not placed in time (no join recorded)`;
}

/** The report's charts as data: titles and items, from the analytics answer. */
export function charts(r) {
  const people = r.participants || [];
  const quality = r.quality || [];
  return {
    timeline: { title: 'Participants over time', timeline: r.timeline || [], durationMs: r.durationMs || 0 },
    presence: {
      title: 'Time in the meeting',
      items: people.map((p) => ({ label: p.displayName || p.participantId, value: p.presentMs || 0, text: spokenDuration(p.presentMs) })),
    },
    chat: { title: 'Chat messages per minute', points: r.chatTimeline || [], durationMs: r.durationMs || 0,
      empty: chatEmpty(r.chatMessages, r.chatTimeline) },
    loss: {
      title: 'Packet loss per participant (mean)',
      items: quality.map((q) => ({ label: q.displayName || q.participantId, value: q.lossRatio || 0,
        text: `${((q.lossRatio || 0) * 100).toFixed(1)} %` })),
    },
    rtt: {
      title: 'Round-trip time per participant (mean)',
      items: quality.map((q) => ({ label: q.displayName || q.participantId, value: q.rttMs || 0,
        text: `${Math.round(q.rttMs || 0)} ms` })),
    },
  };
}
