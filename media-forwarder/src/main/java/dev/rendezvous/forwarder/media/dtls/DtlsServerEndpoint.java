package dev.rendezvous.forwarder.media.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * The server side of one DTLS association (one browser PeerConnection).
 *
 * <h2>The browser's fingerprint</h2>
 * The browser must authenticate with the certificate whose SHA-256 fingerprint its SDP announced
 * ({@code a=fingerprint:sha-256}). That fingerprint may be given to the constructor or, when it is not known
 * yet (null), supplied later through {@link #remoteFingerprint(String)}: for the subscribe PeerConnection the
 * browser's SDP answer reaches the forwarder only after its ClientHello, and the handshake need not wait for
 * it. The handshake runs up to the client's Certificate message without the fingerprint; there the task
 * waits for it, at most until the handshake deadline ({@code handshakeTimeout} after {@link #start}). If it
 * does not arrive in time the handshake fails ({@link Listener#onFailure}, "the browser's fingerprint (SDP
 * answer) did not arrive within …"); if it does not match, it fails with bad_certificate; {@link #close}
 * during the wait ends the association as a close ({@link Listener#onClosed}). The handshake never
 * completes, and no SRTP keys leave the endpoint, unless the client certificate matched the fingerprint.
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>{@link #receive} is called by the UDP demux thread: it copies the datagram into a bounded queue
 *       ({@value #QUEUE_CAPACITY} datagrams; when full the datagram is dropped and counted). It never blocks
 *       and never throws.</li>
 *   <li>{@link #start} submits <em>one</em> task to the handshake executor. That task runs BouncyCastle's
 *       blocking handshake and then keeps servicing the association for its whole life (retransmitting our
 *       last flight if the browser repeats its Finished, noticing close_notify), so it occupies one executor
 *       thread per live association, mostly parked in {@code ArrayBlockingQueue.poll}. Size the executor
 *       accordingly (or use virtual threads).</li>
 *   <li>All {@link Listener} callbacks run on that executor thread, except {@code onClosed} when
 *       {@link #close} is called before {@link #start} (then it runs on the caller's thread) and
 *       {@code onFailure} when the executor rejects the task (caller of {@code start}). At most one of
 *       {@code onFailure}/{@code onClosed} is delivered, exactly once.</li>
 *   <li>{@link #remoteFingerprint(String)} may be called from any thread, before or after {@link #start};
 *       it never blocks for long and wakes the task if it is waiting for the fingerprint.</li>
 *   <li>{@link #close} only flags and wakes the task; the close_notify is sent from the executor thread
 *       shortly afterwards, so keep the UDP socket open for a moment after calling it.</li>
 * </ul>
 *
 * <p>Datagrams are limited to {@value #RECEIVE_LIMIT} bytes inbound and {@value #SEND_LIMIT} bytes outbound
 * (BouncyCastle fragments handshake messages to fit). Application data after the handshake (e.g. SCTP for
 * data channels) is read and discarded.
 */
public final class DtlsServerEndpoint {

    /** Callbacks of one association. Implementations must not block for long: they run on the DTLS task. */
    public interface Listener {
        void onHandshakeComplete(SrtpKeyMaterial keys);

        /**
         * Handshake failed/timed out, fingerprint mismatch, the fingerprint was not supplied before the handshake
         * deadline, no common profile, or a fatal alert later on.
         */
        void onFailure(String reason, Throwable cause);

        /** Peer sent close_notify (after a successful handshake), or close() was called. */
        void onClosed();
    }

    static final int QUEUE_CAPACITY = 64;
    static final int RECEIVE_LIMIT = 1500;
    static final int SEND_LIMIT = 1200;
    /** Poll period of the post-handshake loop; close() wakes it earlier. */
    private static final int IDLE_WAIT_MILLIS = 30_000;
    private static final byte[] WAKE_UP = new byte[0];

    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int DONE = 2;

    private final DtlsCertificate certificate;
    private final RemoteFingerprint remoteFingerprint;
    private final DatagramSender sender;
    private final Listener listener;
    private final Executor executor;
    private final Duration handshakeTimeout;

    private final ArrayBlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger phase = new AtomicInteger(NEW);
    private final AtomicBoolean terminalReported = new AtomicBoolean();
    private volatile boolean closeRequested;
    private volatile boolean handshakeComplete;
    private volatile long handshakeDeadlineNanos;
    /** System.nanoTime of the first datagram handed to {@link #receive}, 0 before. */
    private volatile long firstDatagramNanos;
    private volatile long completedNanos;
    private volatile long fingerprintWaitNanos;

    /**
     * @param remoteFingerprintSha256 the "AB:CD:…" value of the browser's a=fingerprint:sha-256 (its SDP offer or
     *                                answer; compared case-insensitively), or null if it is not known yet — then
     *                                supply it with {@link #remoteFingerprint(String)}
     * @param handshakeTimeout        time budget of the whole handshake from {@link #start}, including any wait
     *                                for a fingerprint that is supplied late
     */
    public DtlsServerEndpoint(DtlsCertificate certificate, String remoteFingerprintSha256, DatagramSender sender,
                              Listener listener, Executor handshakeExecutor, Duration handshakeTimeout) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.remoteFingerprint = new RemoteFingerprint(remoteFingerprintSha256);
        this.sender = Objects.requireNonNull(sender, "sender");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.executor = Objects.requireNonNull(handshakeExecutor, "handshakeExecutor");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    /**
     * Does the slow one-time initialisation (seeding the shared SecureRandom, loading and exercising the
     * BouncyCastle EC, signature and digest code by generating a throw-away certificate) so that the first
     * real handshake does not pay for it. Call once at start-up; safe to call repeatedly and concurrently.
     */
    public static void warmUp() {
        DtlsCrypto.RANDOM.nextBytes(new byte[32]);
        DtlsCertificate throwAway = DtlsCertificate.generate();
        try {
            throwAway.toTlsCertificate(DtlsCrypto.CRYPTO);
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse our own certificate", e);
        }
        SHA256Digest digest = new SHA256Digest();
        digest.update(new byte[64], 0, 64);
        digest.doFinal(new byte[32], 0);
        new DTLSServerProtocol(); // class loading of the handshake machinery
    }

    /**
     * Starts waiting for the ClientHello on the executor (runs the blocking BC handshake there). Does not need
     * the browser's fingerprint yet; the handshake deadline ({@code handshakeTimeout}) starts now.
     */
    public void start() {
        if (!phase.compareAndSet(NEW, STARTED)) {
            return; // already started, or closed before start
        }
        handshakeDeadlineNanos = System.nanoTime() + handshakeTimeout.toNanos();
        try {
            executor.execute(this::run);
        } catch (RuntimeException e) {
            phase.set(DONE);
            reportFailure("handshake executor rejected the DTLS task", e);
        }
    }

    /**
     * Called from the UDP demux thread with one DTLS datagram (first byte 20..63). Copies it into a bounded
     * queue; drops and counts it when the queue is full or the datagram is invalid/oversized. Never blocks,
     * never throws.
     */
    public void receive(byte[] buf, int off, int len) {
        try {
            if (closeRequested || phase.get() == DONE) {
                return;
            }
            if (buf == null || off < 0 || len <= 0 || len > RECEIVE_LIMIT || off > buf.length - len) {
                dropped.increment();
                return;
            }
            byte[] copy = new byte[len];
            System.arraycopy(buf, off, copy, 0, len);
            if (firstDatagramNanos == 0) {
                firstDatagramNanos = System.nanoTime();
            }
            if (!inbound.offer(copy)) {
                dropped.increment();
            }
        } catch (RuntimeException e) {
            dropped.increment();
        }
    }

    /**
     * Supplies the browser's certificate fingerprint (the "AB:CD:…" value of its SDP a=fingerprint:sha-256,
     * compared case-insensitively) when it was not known at construction. Callable from any thread, before or
     * after {@link #start}; wakes the handshake if it is waiting for it.
     *
     * <p>The first value wins: if a fingerprint is already known (from the constructor or an earlier call),
     * this call is silently ignored, even if the value differs — a later SDP cannot re-target a handshake
     * that may already be checking the certificate. After {@link #close} it has no effect.
     *
     * @throws NullPointerException if {@code sha256} is null
     */
    public void remoteFingerprint(String sha256) {
        remoteFingerprint.supply(Objects.requireNonNull(sha256, "sha256"));
    }

    /** True while the handshake task is blocked waiting for {@link #remoteFingerprint(String)}. */
    boolean isAwaitingRemoteFingerprint() {
        return remoteFingerprint.hasWaiter();
    }

    public boolean isHandshakeComplete() {
        return handshakeComplete;
    }

    /**
     * For logs, once the handshake completed: milliseconds from the browser's first datagram to completion, and
     * how many of them were spent waiting for the browser's fingerprint; empty before.
     */
    public String handshakeTiming() {
        long first = firstDatagramNanos;
        long done = completedNanos;
        if (!handshakeComplete || first == 0 || done == 0) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "DTLS %.1f ms from the first datagram, %.1f ms of it waiting for the fingerprint",
                (done - first) / 1e6, fingerprintWaitNanos / 1e6);
    }

    /** Datagrams discarded by {@link #receive} (queue full, invalid or oversized). */
    public long droppedDatagrams() {
        return dropped.sum();
    }

    /**
     * Sends close_notify if connected, stops the executor task (also when it is waiting for the browser's
     * fingerprint; that ends in {@link Listener#onClosed}), idempotent.
     */
    public void close() {
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        remoteFingerprint.close(); // wakes the task if it is waiting for the fingerprint
        if (phase.compareAndSet(NEW, DONE)) {
            inbound.clear();
            reportClosed();
            return;
        }
        // Wake the task if it is parked in poll(); it sends close_notify and reports onClosed.
        inbound.clear();
        inbound.offer(WAKE_UP);
    }

    private void run() {
        DtlsSrtpServer server = new DtlsSrtpServer(DtlsCrypto.CRYPTO, certificate, remoteFingerprint,
                handshakeDeadlineNanos, (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis()));
        QueueTransport transport = new QueueTransport();
        DTLSTransport dtls = null;
        try {
            if (closeRequested) {
                reportClosed();
                return;
            }
            DTLSServerProtocol protocol = new DTLSServerProtocol();
            protocol.setVerifyRequests(false); // ICE connectivity checks already proved the address
            dtls = protocol.accept(server, transport);
            SrtpKeyMaterial keys = server.keys();
            if (keys == null) {
                throw new IllegalStateException("handshake completed without SRTP keys");
            }
            completedNanos = System.nanoTime();
            fingerprintWaitNanos = server.fingerprintWaitNanos();
            handshakeComplete = true;
            if (!closeRequested) {
                safely(() -> listener.onHandshakeComplete(keys));
            }
            serviceAssociation(dtls, server, transport);
        } catch (IOException | RuntimeException e) {
            if (closeRequested || server.closeNotifyReceived()) {
                closeQuietly(dtls);
                reportClosed();
            } else {
                if (server.abortedBeforeServerHello()) {
                    sendPlaintextAlert(e instanceof TlsFatalAlert alert
                            ? alert.getAlertDescription() : AlertDescription.handshake_failure);
                }
                reportFailure(describe(e, server), e);
            }
        } finally {
            transport.close();
            inbound.clear();
            phase.set(DONE);
        }
    }

    /** Keeps reading after the handshake until close() or the peer's close_notify; discards application data. */
    private void serviceAssociation(DTLSTransport dtls, DtlsSrtpServer server, QueueTransport transport)
            throws IOException {
        byte[] buf = new byte[RECEIVE_LIMIT];
        while (!closeRequested && !server.closeNotifyReceived()) {
            try {
                dtls.receive(buf, 0, buf.length, IDLE_WAIT_MILLIS);
            } catch (InterruptedIOException e) {
                if (!closeRequested && !server.closeNotifyReceived() && !transport.closed) {
                    throw e;
                }
            }
        }
        if (!server.closeNotifyReceived()) {
            closeQuietly(dtls); // sends our close_notify
        }
        // On a received close_notify BouncyCastle has already answered with its own and closed the transport.
        reportClosed();
    }

    /** A fatal alert in an epoch-0 DTLS 1.2 record (RFC 6347 section 4.1), for rejections before the ServerHello. */
    private void sendPlaintextAlert(short description) {
        byte[] record = {
            21, (byte) 0xFE, (byte) 0xFD, // content type alert, DTLS 1.2
            0, 0, // epoch 0
            0, 0, 0, 0, 0, 0, // sequence number 0: we have sent nothing before
            0, 2, // length
            AlertLevel.fatal, (byte) description,
        };
        try {
            sender.send(record, 0, record.length); // BouncyCastle has already closed its transport
        } catch (RuntimeException e) {
            // best effort
        }
    }

    private static void closeQuietly(DTLSTransport dtls) {
        if (dtls == null) {
            return;
        }
        try {
            dtls.close();
        } catch (IOException | RuntimeException e) {
            // the association is going away either way
        }
    }

    private String describe(Throwable e, DtlsSrtpServer server) {
        if (server.failureReason() != null) {
            return server.failureReason();
        }
        String phaseName = handshakeComplete ? "DTLS association" : "DTLS handshake";
        if (e instanceof TlsTimeoutException) {
            return phaseName + " timed out after " + handshakeTimeout.toMillis() + " ms";
        }
        if (e instanceof TlsFatalAlertReceived received) {
            return phaseName + " failed: peer sent fatal alert "
                    + AlertDescription.getText(received.getAlertDescription());
        }
        if (e instanceof TlsFatalAlert alert) {
            return phaseName + " failed with alert " + AlertDescription.getText(alert.getAlertDescription())
                    + (alert.getMessage() == null ? "" : ": " + alert.getMessage());
        }
        return phaseName + " failed: " + e;
    }

    private void reportClosed() {
        if (terminalReported.compareAndSet(false, true)) {
            safely(listener::onClosed);
        }
    }

    private void reportFailure(String reason, Throwable cause) {
        if (terminalReported.compareAndSet(false, true)) {
            safely(() -> listener.onFailure(reason, cause));
        }
    }

    private static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            // a listener bug must not kill the association's task
        }
    }

    /** BouncyCastle's view of the network: our bounded queue inbound, the {@link DatagramSender} outbound. */
    private final class QueueTransport implements DatagramTransport {

        volatile boolean closed;

        @Override
        public int getReceiveLimit() {
            return RECEIVE_LIMIT;
        }

        @Override
        public int getSendLimit() {
            return SEND_LIMIT;
        }

        /** waitMillis 0 means wait indefinitely; returns -1 on timeout (BouncyCastle's convention). */
        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed || closeRequested) {
                throw new InterruptedIOException("DTLS endpoint closed");
            }
            long waitNanos = waitMillis == 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(waitMillis);
            if (!handshakeComplete) {
                long remaining = handshakeDeadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    throw new TlsTimeoutException("DTLS handshake timed out after " + handshakeTimeout.toMillis() + " ms");
                }
                waitNanos = Math.min(waitNanos, remaining);
            }
            byte[] datagram;
            try {
                datagram = inbound.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS task interrupted");
            }
            if (datagram == null) {
                return -1;
            }
            if (datagram == WAKE_UP || closeRequested) {
                throw new InterruptedIOException("DTLS endpoint closed");
            }
            int n = Math.min(len, datagram.length);
            System.arraycopy(datagram, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (closed) {
                return;
            }
            try {
                sender.send(buf, off, len);
            } catch (RuntimeException e) {
                throw new IOException("sending a DTLS datagram failed", e);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
