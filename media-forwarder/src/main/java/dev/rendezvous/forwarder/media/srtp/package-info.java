/**
 * SRTP and SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM (RFC 7714) protection
 * profiles negotiated by DTLS-SRTP (RFC 5764), for the forwarder's packet path.
 *
 * <p>An {@link dev.rendezvous.forwarder.media.srtp.SrtpSession} is one direction of one DTLS-SRTP association:
 * session keys are derived once from the master key and salt (RFC 3711 section 4.3, key derivation rate 0), and
 * the per-SSRC state (rollover counter, highest sequence number, replay windows, SRTCP index) lives in a small
 * bounded table of the session ({@code SsrcContexts}); {@code SrtpCrypto} holds the counter mode, IVs and key
 * derivation. Packets are transformed in place in caller-owned {@code byte[]} buffers
 * addressed as {@code (buf, off, len)}; results are lengths, or negative {@link
 * dev.rendezvous.forwarder.media.srtp.SrtpResult} codes, never exceptions for bad input. Only {@code javax.crypto}
 * of the JDK is used. Part of the packet path: no Kafka, Spring, Reactor or JSON.
 */
package dev.rendezvous.forwarder.media.srtp;
