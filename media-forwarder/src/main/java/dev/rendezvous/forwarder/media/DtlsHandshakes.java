package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import dev.rendezvous.forwarder.media.dtls.DtlsServerEndpoint;
import dev.rendezvous.forwarder.media.dtls.SrtpKeyMaterial;
import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and feeds the DTLS association of each transport, on a <em>bounded</em> executor: BouncyCastle's
 * API blocks, so each live association holds one thread ({@link DtlsServerEndpoint}); past
 * {@code maxAssociations} a new handshake fails at once ("handshake executor rejected") instead of growing
 * threads without limit. The engine sizes it from its participant capacity (two transports each, plus slack).
 */
final class DtlsHandshakes implements AutoCloseable {

    /** What a handshake's end means to the engine. Called on the association's thread. */
    interface Listener {
        void connected(Transport t, SrtpKeyMaterial keys);

        void failed(Transport t, String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(DtlsHandshakes.class);

    private final DtlsCertificate certificate;
    private final Duration timeout;
    private final PacketSender sender;
    private final Listener listener;
    private final ThreadPoolExecutor pool;

    DtlsHandshakes(DtlsCertificate certificate, Duration timeout, int maxAssociations, PacketSender sender,
                   Listener listener) {
        this.certificate = certificate;
        this.timeout = timeout;
        this.sender = sender;
        this.listener = listener;
        this.pool = new ThreadPoolExecutor(0, maxAssociations, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("media-dtls"));
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Associations running now (each holds one thread). */
    int active() {
        return pool.getActiveCount();
    }

    /** Starts the handshake with what is known of the browser's fingerprint (control side, publish offers). */
    void start(Transport t) {
        DtlsServerEndpoint endpoint = new DtlsServerEndpoint(certificate, t.remoteFingerprint,
                (b, off, len) -> sender.sendCopy(b, off, len, t.closed ? null : t.remote),
                new DtlsServerEndpoint.Listener() {
                    @Override
                    public void onHandshakeComplete(SrtpKeyMaterial keys) {
                        listener.connected(t, keys);
                    }

                    @Override
                    public void onFailure(String reason, Throwable cause) {
                        if (!t.closed) {
                            log.info("DTLS with {} failed: {}", t.label(), reason);
                            listener.failed(t, "dtls: " + reason);
                        }
                    }

                    @Override
                    public void onClosed() {
                        if (!t.closed) {
                            log.debug("DTLS with {} closed by the browser", t.label());
                        }
                    }
                }, pool, timeout);
        t.dtls = endpoint;
        endpoint.start();
    }

    /**
     * The browser's first DTLS datagram on a subscribe transport whose answer has not reached us yet (it
     * travels through Kafka): the handshake starts now, with the fingerprint the page announced at its join if
     * any, so the answer's trip overlaps the handshake. Packet thread.
     */
    void startEarly(Transport t) {
        synchronized (t) {
            if (t.dtls == null && !t.closed && !t.publish()) {
                start(t);
            }
        }
    }

    /** The subscribe side's remote fingerprint arrived with the answer: hand it over, or start with it. */
    void fingerprintKnown(Transport t) {
        synchronized (t) {
            DtlsServerEndpoint d = t.dtls;
            if (d != null) {
                d.remoteFingerprint(t.remoteFingerprint);
            } else {
                start(t);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
