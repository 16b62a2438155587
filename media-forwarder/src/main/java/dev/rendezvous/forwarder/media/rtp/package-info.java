/**
 * RTP/RTCP building blocks of the forwarder's packet path: zero-allocation parsers and writers for RTP
 * (RFC 3550, header extensions of RFC 8285, audio level of RFC 6464) and compound RTCP (RFC 3550, feedback of
 * RFC 4585 / RFC 5104, REMB), transport-wide congestion control feedback and its sequence number extension
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01) with the receiver's arrival recorder, receive statistics (RFC 3550 appendix A), NACK tracking, a retransmission cache,
 * per-subscriber sequence rewriting and active-speaker detection.
 *
 * <p>Everything here works on plaintext packets in caller-owned {@code byte[]} buffers addressed as
 * {@code (buf, off, len)}, with reusable cursors and fixed arrays, so that nothing is allocated per packet.
 * Sequence numbers are compared modulo 2^16 and unsigned 32-bit fields are returned as {@code long}.
 * Part of the packet path: no Kafka, Spring, Reactor or JSON.
 */
package dev.rendezvous.forwarder.media.rtp;
