/**
 * From a recorded track's RTP packets to coded frames: {@link dev.rendezvous.recorder.rtp.ReorderBuffer}
 * (sequence order, holes given up after a wait) and a {@link dev.rendezvous.recorder.rtp.VideoDepacketizer} per
 * {@link dev.rendezvous.recorder.rtp.VideoCodec}: VP8 (RFC 7741), VP9 (RFC 9628; spatial layers as superframes)
 * and H.264 (RFC 6184 packetization-mode 1; length-prefixed NAL units and the avcC record), each handing on only
 * decodable frames, starting on a keyframe. Opus needs no depacketiser: one packet per RTP payload. No I/O, no
 * Kafka.
 */
package dev.rendezvous.recorder.rtp;
