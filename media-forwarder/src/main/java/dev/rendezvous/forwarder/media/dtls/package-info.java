/**
 * DTLS-SRTP, server side (RFC 5763 / RFC 5764, DTLS 1.2 per RFC 6347) on BouncyCastle's low-level TLS API.
 *
 * <p>The browser is always the DTLS client (our publish answers say {@code a=setup:passive}; our subscribe
 * offers say {@code a=setup:actpass} and the browser answers {@code active}); the forwarder is the server. One {@link dev.rendezvous.forwarder.media.dtls.DtlsServerEndpoint} per browser PeerConnection:
 * the UDP demux thread hands it DTLS datagrams (first byte 20..63) through a bounded queue, and a task on a
 * handshake executor runs BouncyCastle's blocking {@code DTLSServerProtocol} against that queue. The
 * browser must authenticate with the certificate whose SHA-256 fingerprint its SDP (offer, or answer for the
 * subscribe PeerConnection) announced; the handshake may start before that fingerprint is known and waits for
 * it, within the handshake timeout, only when the client's certificate arrives. The
 * result of a successful handshake is an {@link dev.rendezvous.forwarder.media.dtls.SrtpKeyMaterial}
 * (RFC 5764 section 4.2 key export), from which the SRTP layer builds its contexts.
 *
 * <p>Part of the packet path: no Kafka, Spring, Reactor, JSON or topic-catalogue imports
 * (enforced by {@code MediaPackageIsolationTest}).
 */
package dev.rendezvous.forwarder.media.dtls;
