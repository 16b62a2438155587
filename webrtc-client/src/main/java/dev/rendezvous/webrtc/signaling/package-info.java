/**
 * The signaling seam: {@link dev.rendezvous.webrtc.signaling.Signaling} is what a client needs from any path to
 * the forwarder; {@link dev.rendezvous.webrtc.signaling.InProcessForwarder} implements it on an in-process
 * MediaEngine; {@link dev.rendezvous.webrtc.signaling.GatewaySignaling} implements it over the edge gateway's
 * WebSocket, with the meeting page's frames ({@link dev.rendezvous.webrtc.signaling.GatewayFrames}).
 */
package dev.rendezvous.webrtc.signaling;
