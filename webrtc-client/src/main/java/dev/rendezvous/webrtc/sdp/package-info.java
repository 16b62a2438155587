/**
 * SDP as the client writes it (Chromium-shaped publish offers and subscribe answers) and reads it (the
 * forwarder's descriptions, parsed by the forwarder's own parser plus the candidate line).
 */
package dev.rendezvous.webrtc.sdp;
