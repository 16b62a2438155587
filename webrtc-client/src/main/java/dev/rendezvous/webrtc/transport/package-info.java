/** One PeerConnection's transport: a UDP socket, ICE checks, the DTLS handshake and SRTP protection. */
package dev.rendezvous.webrtc.transport;
