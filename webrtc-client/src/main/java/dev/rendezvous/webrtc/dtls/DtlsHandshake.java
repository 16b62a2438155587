package dev.rendezvous.webrtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Runs one DTLS client handshake over a PeerConnection's UDP socket. BouncyCastle's DTLS API reads and writes
 * through a blocking {@link DatagramTransport}; the connection's receive loop hands every DTLS datagram
 * (RFC 7983 first byte 20..63) to {@link #offer}, and {@link #run} blocks a worker thread until the keys are
 * there. After the handshake, late DTLS datagrams are dropped (the association only carries SRTP keys).
 */
public final class DtlsHandshake {

    /** Where the handshake's datagrams go: the connection's socket, towards the forwarder's candidate. */
    public interface Sender {
        void send(byte[] b, int off, int len) throws IOException;
    }

    private final DtlsSrtpClient client;
    private final Sender sender;
    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(64);
    private volatile boolean closed;
    private volatile DTLSTransport transport;

    /**
     * @param serverFingerprint the forwarder's {@code a=fingerprint:sha-256}; its certificate must match
     * @param srtpProfiles      DTLS-SRTP profile ids to offer, in preference order
     */
    public DtlsHandshake(ClientCertificate certificate, String serverFingerprint, int[] srtpProfiles, Sender sender) {
        this.client = new DtlsSrtpClient(certificate, serverFingerprint, srtpProfiles);
        this.sender = sender;
    }

    /** A DTLS datagram from the forwarder (copied); dropped when nobody is listening any more. */
    public void offer(byte[] b, int off, int len) {
        if (closed || transport != null) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        inbound.offer(copy);
    }

    /** Blocks until the handshake is complete and returns the SRTP keys; throws on failure or timeout. */
    public SrtpKeys run() throws IOException {
        transport = new DTLSClientProtocol().connect(client, new Bridge());
        SrtpKeys keys = client.keys();
        if (keys == null) {
            throw new IOException("DTLS handshake completed without SRTP keys");
        }
        return keys;
    }

    /** Sends close_notify if connected, and wakes a handshake still waiting. */
    public void close() {
        DTLSTransport t = transport;
        if (t != null && !closed) {
            try {
                t.close();
            } catch (IOException | RuntimeException e) {
                // best effort: the socket may already be closed
            }
        }
        closed = true;
        inbound.offer(new byte[0]);
    }

    private final class Bridge implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            byte[] d;
            try {
                d = inbound.poll(Math.max(1, waitMillis), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            if (d == null) {
                return -1;
            }
            if (d.length == 0) {
                throw new IOException("closed");
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (!closed) {
                sender.send(buf, off, len);
            }
        }

        @Override
        public void close() {
        }
    }
}
