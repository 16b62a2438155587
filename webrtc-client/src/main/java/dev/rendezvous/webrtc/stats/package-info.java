/**
 * Receive-side bookkeeping per remote track and the immutable snapshots a test or a load tool reads: packets,
 * loss, jitter, forwarding delay, first media, keyframes, NACKs and retransmissions.
 */
package dev.rendezvous.webrtc.stats;
