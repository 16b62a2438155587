// node --test edge-gateway/src/test/js/ — the stats overlay's figures (static/meeting/statsview.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBitrate, inboundVideo, outboundVideo, serverStatsOf, serverTrackLine, summaryLines, tileLines }
  from '../../main/resources/static/meeting/statsview.js';

test('bit rates read as kbit/s or Mbit/s', () => {
  assert.equal(formatBitrate(850_400), '850 kbit/s');
  assert.equal(formatBitrate(2_450_000), '2.5 Mbit/s');
  assert.equal(formatBitrate(12_000_000), '12 Mbit/s');
  assert.equal(formatBitrate(null), '–');
  assert.equal(formatBitrate(-1), '–');
});

test('inbound video is measured between two samples and keyed by the publisher and source', () => {
  const tracks = new Map([['1', { socketId: 's2', kind: 'video', source: 'camera' }], ['0', { socketId: 's2', kind: 'audio', source: 'microphone' }]]);
  const prev = [{ id: 'in1', type: 'inbound-rtp', kind: 'video', mid: '1', timestamp: 1000, bytesReceived: 100_000, packetsReceived: 900, packetsLost: 10 }];
  const now = [
    { id: 'in1', type: 'inbound-rtp', kind: 'video', mid: '1', timestamp: 2000, bytesReceived: 200_000, packetsReceived: 990, packetsLost: 20,
      frameWidth: 640, frameHeight: 360, framesPerSecond: 29.7 },
    { id: 'in0', type: 'inbound-rtp', kind: 'audio', mid: '0', timestamp: 2000, bytesReceived: 5_000 },
    { id: 'x', type: 'inbound-rtp', kind: 'video', mid: '9', timestamp: 2000 },   // not in the offer: ignored
  ];
  assert.deepEqual(inboundVideo(prev, now, tracks), {
    's2|camera': { width: 640, height: 360, fps: 29.7, bitrate: 800_000, loss: 0.1 },
  });
  // the first sample has no rate yet
  assert.equal(inboundVideo([], now, tracks)['s2|camera'].bitrate, null);
});

test('outbound encodings come lowest first with what limits them', () => {
  const now = [
    { id: 'f', type: 'outbound-rtp', kind: 'video', rid: 'f', frameWidth: 1280, frameHeight: 720, timestamp: 2000, bytesSent: 500_000, qualityLimitationReason: 'bandwidth' },
    { id: 'q', type: 'outbound-rtp', kind: 'video', rid: 'q', frameWidth: 320, frameHeight: 180, timestamp: 2000, bytesSent: 50_000, qualityLimitationReason: 'none' },
    { id: 'a', type: 'outbound-rtp', kind: 'audio', timestamp: 2000, bytesSent: 1 },
  ];
  const prev = [{ id: 'f', timestamp: 1000, bytesSent: 250_000 }, { id: 'q', timestamp: 1000, bytesSent: 25_000 }];
  const out = outboundVideo(prev, now);
  assert.deepEqual(out.map((o) => [o.rid, o.width, o.bitrate, o.limited]), [['q', 320, 200_000, null], ['f', 1280, 2_000_000, 'bandwidth']]);
  assert.deepEqual(summaryLines(null, out), ['Downlink estimate: waiting for the media server…',
    'Sending: q 320×180 200 kbit/s · f 1280×720 2.0 Mbit/s', 'Sending is limited by bandwidth']);
});

test('a media-stats frame is kept per track and bad entries are dropped', () => {
  const s = serverStatsOf({ type: 'media-stats', estimate: 900_000, congested: true, loss: 0.023, rtt: 31.3, tracks: [
    { socketId: 's2', source: 'camera', state: 'forwarding', layer: 1, target: 0, layers: 3, width: 640, bitrate: 480_000 },
    { socketId: 's3', source: 'camera', state: 'sleeping' },
    null, { source: 'camera', state: 'paused' }] });
  assert.equal(s.tracks.size, 1);
  assert.deepEqual(summaryLines(s, []), ['Downlink estimate: 900 kbit/s (congested)', 'Loss 2.3 % · RTT 31 ms']);
  assert.equal(serverTrackLine(s.tracks.get('s2|camera')), 'server: layer 1 of 3 → 0 · 640 px · 480 kbit/s');
  assert.equal(serverStatsOf({ type: 'media-stats' }), null);
  assert.deepEqual(summaryLines(serverStatsOf({ estimate: -1, loss: 0, rtt: -1 }), []), ['Downlink estimate: none yet', 'Loss 0.0 %']);
});

test('a tile shows what arrives and what the forwarder does', () => {
  assert.deepEqual(tileLines({ width: 320, height: 180, fps: 15.2, bitrate: 150_000, loss: 0 },
    { state: 'forwarding', layer: 0, target: 0, layers: 3, width: 320, bitrate: 160_000 }),
  ['320×180 · 15 fps · 150 kbit/s · loss 0.0 %', 'server: layer 0 of 3 · 320 px · 160 kbit/s']);
  assert.deepEqual(tileLines(null, { state: 'paused', layer: -1, target: -1, layers: 3 }), ['server: paused']);
  assert.deepEqual(tileLines(null, { state: 'starting', layer: -1, target: 2, layers: 3 }), ['server: starting (→ layer 2)']);
  assert.deepEqual(tileLines(null, { state: 'forwarding', layer: 0, target: 0, layers: 1, width: 0, bitrate: 90_000 }),
    ['server: one stream · 90 kbit/s']);
  assert.deepEqual(tileLines(null, undefined), ['server: –']);
});
