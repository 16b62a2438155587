/**
 * DTLS-SRTP from the client's side: our certificate, the BouncyCastle client policy, a handshake run over the
 * connection's socket, and the split of the exported keys into what we send with and what we receive with.
 */
package dev.rendezvous.webrtc.dtls;
