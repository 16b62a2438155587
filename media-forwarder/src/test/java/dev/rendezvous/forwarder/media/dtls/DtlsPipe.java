package dev.rendezvous.forwarder.media.dtls;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

/**
 * An in-memory "network" between one {@link DtlsServerEndpoint} and one {@link TestDtlsClient}: the server's
 * {@link DatagramSender} feeds the client's queue, the client's sends go into {@code endpoint.receive}.
 */
final class DtlsPipe implements AutoCloseable {

    final ExecutorService serverExecutor = Executors.newCachedThreadPool(daemon("dtls-server"));
    final ExecutorService clientExecutor = Executors.newCachedThreadPool(daemon("dtls-client"));
    final LinkedBlockingQueue<byte[]> toClient = new LinkedBlockingQueue<>();
    final RecordingListener listener = new RecordingListener();
    final DtlsCertificate serverCertificate = DtlsCertificate.generate();
    DtlsServerEndpoint endpoint;

    /** @param expectedClientFingerprint null when it is to be supplied later via {@code remoteFingerprint} */
    DtlsServerEndpoint startServer(String expectedClientFingerprint, Duration handshakeTimeout) {
        createServer(expectedClientFingerprint, handshakeTimeout).start();
        return endpoint;
    }

    /** Like {@link #startServer} but without calling {@code start()}. */
    DtlsServerEndpoint createServer(String expectedClientFingerprint, Duration handshakeTimeout) {
        endpoint = new DtlsServerEndpoint(serverCertificate, expectedClientFingerprint,
                (buf, off, len) -> toClient.add(Arrays.copyOfRange(buf, off, off + len)),
                listener, serverExecutor, handshakeTimeout);
        return endpoint;
    }

    /** Runs the client handshake on its own thread. */
    CompletableFuture<DTLSTransport> connect(TestDtlsClient client) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new DTLSClientProtocol().connect(client, new ClientSide());
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, clientExecutor);
    }

    /** Reads the client side until close_notify arrives (BouncyCastle only processes alerts while reading). */
    void keepClientReading(DTLSTransport transport, TestDtlsClient client) {
        clientExecutor.execute(() -> {
            byte[] buf = new byte[2048];
            try {
                while (client.closeNotifyReceived.getCount() > 0) {
                    transport.receive(buf, 0, buf.length, 100);
                }
            } catch (IOException e) {
                // closed
            }
        });
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        serverExecutor.shutdownNow();
        clientExecutor.shutdownNow();
    }

    private final class ClientSide implements DatagramTransport {
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
            byte[] datagram;
            try {
                datagram = toClient.poll(waitMillis == 0 ? 60_000 : waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            if (datagram == null) {
                return -1;
            }
            int n = Math.min(len, datagram.length);
            System.arraycopy(datagram, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            endpoint.receive(buf, off, len);
        }

        @Override
        public void close() {
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Records every callback; the futures complete on the first call of each kind. */
    static final class RecordingListener implements DtlsServerEndpoint.Listener {
        final CompletableFuture<SrtpKeyMaterial> keys = new CompletableFuture<>();
        final CompletableFuture<String> failure = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void onHandshakeComplete(SrtpKeyMaterial k) {
            calls.add("complete");
            keys.complete(k);
        }

        @Override
        public void onFailure(String reason, Throwable cause) {
            calls.add("failure: " + reason);
            failure.complete(reason);
        }

        @Override
        public void onClosed() {
            calls.add("closed");
            closed.complete(null);
        }
    }
}
