package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.dtls.DtlsServerEndpoint;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The transport of one browser PeerConnection: our ICE-lite credentials, the remote address ICE settled on,
 * the DTLS association and, once it completed, the SRTP sessions of both directions.
 *
 * <p>Fields the packet thread reads are volatile and set once (or replaced whole); the control side changes
 * them under the room's lock.
 */
final class Connection {

    final Participant owner;
    final boolean publish;
    final String localUfrag;
    final String localPwd;
    final byte[] localPwdBytes;
    final long localSsrc;
    final long createdNanos;
    /** The browser's ICE ufrag (from its offer or answer): a new one means a new PeerConnection. */
    volatile String remoteUfrag;
    volatile String remoteFingerprint;
    volatile InetSocketAddress remote;
    volatile boolean nominated;
    volatile long lastStunNanos;
    volatile DtlsServerEndpoint dtls;
    /** Decrypts what the browser sends (the DTLS client's keys). */
    volatile SrtpSession srtpIn;
    /** Encrypts what we send (the DTLS server's keys). */
    volatile SrtpSession srtpOut;
    volatile boolean closed;

    Connection(Participant owner, boolean publish, String localUfrag, String localPwd, long localSsrc, long nowNanos) {
        this.owner = owner;
        this.publish = publish;
        this.localUfrag = localUfrag;
        this.localPwd = localPwd;
        this.localPwdBytes = localPwd.getBytes(StandardCharsets.UTF_8);
        this.localSsrc = localSsrc;
        this.createdNanos = nowNanos;
        this.lastStunNanos = nowNanos;
    }

    boolean ready() {
        return srtpOut != null && remote != null && !closed;
    }

    String label() {
        return owner.socketId + (publish ? "/publish" : "/subscribe");
    }
}
