package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.bwe.TransportCcSender;
import dev.rendezvous.forwarder.media.dtls.DtlsServerEndpoint;
import dev.rendezvous.forwarder.media.rtp.TransportCcRecorder;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The transport of one browser PeerConnection: our ICE-lite credentials and consent, the remote address ICE
 * settled on, the DTLS association and, once it completed, the SRTP sessions of both directions.
 *
 * <p><b>Address changes.</b> Before DTLS has given keys, an authenticated STUN check that nominates a new
 * address moves the transport there (ICE is still settling). After that, an authenticated check from a new
 * address only makes it a {@link #candidate}; the transport moves when a packet from that address also
 * passes SRTP authentication ({@link Transports#confirmCandidate}). A replayed STUN request alone cannot
 * steer a call's media elsewhere.
 *
 * <p>Fields the packet thread reads are volatile and set once (or replaced whole); the control side changes
 * them under the room's lock.
 */
final class Transport {

    final Peer owner;
    final TransportRole role;
    final String localUfrag;
    final String localPwd;
    final byte[] localPwdBytes;
    /** Our SSRC in the RTCP we send on this transport (receiver reports, NACK, PLI). */
    final long localSsrc;
    /** The browser's ICE ufrag (from its offer or answer): a new one means a new PeerConnection. */
    volatile String remoteUfrag;
    volatile String remoteFingerprint;
    volatile InetSocketAddress remote;
    /** An address that passed an authenticated STUN check but no SRTP yet (see the class comment). */
    volatile InetSocketAddress candidate;
    volatile boolean nominated;
    volatile long lastStunNanos;
    volatile DtlsServerEndpoint dtls;
    /** Decrypts what the browser sends (the DTLS client's keys). */
    volatile SrtpSession srtpIn;
    /** Encrypts what we send (the DTLS server's keys). */
    volatile SrtpSession srtpOut;
    volatile boolean closed;
    /** The transport-wide sequence number extension id the browser agreed to send on this transport, or -1. */
    volatile int transportCcId = -1;
    /** Arrivals by transport-wide number, for feedback to the browser (packet thread); set once it was agreed. */
    volatile TransportCcRecorder transportCc;
    /** Subscribe side: numbers what we send and estimates the downlink from the feedback; set once agreed. */
    volatile TransportCcSender downlink;

    Transport(Peer owner, TransportRole role, String localUfrag, String localPwd, long localSsrc, long nowNanos) {
        this.owner = owner;
        this.role = role;
        this.localUfrag = localUfrag;
        this.localPwd = localPwd;
        this.localPwdBytes = localPwd.getBytes(StandardCharsets.UTF_8);
        this.localSsrc = localSsrc;
        this.lastStunNanos = nowNanos;
    }

    boolean publish() {
        return role == TransportRole.PUBLISH;
    }

    /** Keys are there, an address is known, not closed: media may be sent. */
    boolean ready() {
        return srtpOut != null && remote != null && !closed;
    }

    boolean keyed() {
        return srtpIn != null;
    }

    String label() {
        return owner.socketId + "/" + role.name().toLowerCase(java.util.Locale.ROOT);
    }
}
