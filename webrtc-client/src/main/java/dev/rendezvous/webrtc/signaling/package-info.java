/**
 * The signaling seam: {@link dev.rendezvous.webrtc.signaling.Signaling} is what a client needs from any path to
 * the forwarder; {@link dev.rendezvous.webrtc.signaling.InProcessForwarder} implements it on an in-process
 * MediaEngine. A WebSocket implementation via the edge gateway would be a second implementation.
 */
package dev.rendezvous.webrtc.signaling;
