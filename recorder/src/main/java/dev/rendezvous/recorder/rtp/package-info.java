/**
 * From a recorded track's RTP packets to coded frames: {@link dev.rendezvous.recorder.rtp.ReorderBuffer}
 * (sequence order, holes given up after a wait) and {@link dev.rendezvous.recorder.rtp.Vp8Depacketizer}
 * (RFC 7741; only decodable frames, starting on a keyframe). Opus needs no depacketiser: one packet per RTP
 * payload. No I/O, no Kafka.
 */
package dev.rendezvous.recorder.rtp;
