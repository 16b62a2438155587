// node --test edge-gateway/src/test/js/ — the meeting page's ?ice=tcp test hook (static/meeting/media.js): it drops
// every candidate but the forwarder's passive ICE-TCP one from the descriptions the page applies, so a browser test
// can prove that a page without UDP connects over TCP. The browser parts the module touches are small fakes here.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.RTCPeerConnection = class { addEventListener() {} close() {} };
globalThis.window = globalThis;
globalThis.document = { body: { dataset: { meetingId: 'm-1' } }, createElement: () => ({}) };
globalThis.location = { search: '?name=Bob&autojoin=1&ice=tcp' };

const { remoteSdp } = await import('../../main/resources/static/meeting/media.js');

const SDP = [
  'v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=ice-lite',
  'a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host generation 0',
  'a=candidate:2 1 tcp 1518280447 127.0.0.1 10000 typ host tcptype passive generation 0',
  'a=end-of-candidates', '',
].join('\r\n');

test('?ice=tcp leaves only the TCP candidate and everything else as it was', () => {
  const out = remoteSdp(SDP);
  assert.ok(!out.includes(' udp 2130706431'), 'UDP candidate removed');
  assert.ok(out.includes('a=candidate:2 1 tcp 1518280447 127.0.0.1 10000 typ host tcptype passive'));
  assert.equal(out, SDP.replace('a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host generation 0\r\n', ''));
});
