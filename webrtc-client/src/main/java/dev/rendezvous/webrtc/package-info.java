/**
 * A browser-less WebRTC client for the Rendezvous forwarder: {@link dev.rendezvous.webrtc.WebRtcClient} is one
 * participant with a publish and a subscribe PeerConnection, behaving on the wire as Chromium does, with
 * per-track statistics for tests and load tools. Many clients share one {@link dev.rendezvous.webrtc.ClientRuntime}.
 */
package dev.rendezvous.webrtc;
