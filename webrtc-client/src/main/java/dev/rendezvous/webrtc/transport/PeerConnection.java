package dev.rendezvous.webrtc.transport;

import dev.rendezvous.forwarder.media.PacketClass;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import dev.rendezvous.webrtc.dtls.ClientCertificate;
import dev.rendezvous.webrtc.dtls.DtlsHandshake;
import dev.rendezvous.webrtc.dtls.SrtpKeys;
import dev.rendezvous.webrtc.ice.StunBinding;
import dev.rendezvous.webrtc.sdp.IceParameters;
import dev.rendezvous.webrtc.sdp.RemoteDescription;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PeerConnection's transport towards the forwarder: its own UDP socket on 127.0.0.1 (the forwarder tells
 * connections apart by source address, so publish and subscribe cannot share one), ICE as the controlling
 * agent (nominating checks every 50 ms until answered, then consent checks), the DTLS client handshake once
 * ICE succeeded, and SRTP/SRTCP afterwards. Incoming datagrams are demultiplexed by first byte (RFC 7983) on
 * the connection's reader thread, or on a shared {@link DatagramPoller}'s thread; decrypted RTP and RTCP go to
 * the {@link Handler}. When the forwarder's description has no UDP candidate but a passive ICE-TCP one (a test
 * strips the UDP ones, as a network that blocks UDP would leave a browser), everything goes over one TCP
 * connection instead ({@link TcpLink}, RFC 4571 framing).
 */
public final class PeerConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);
    private static final long CHECK_MILLIS = 50;

    /** What the connection's owner hears; called on the reader thread (media) or a handshake thread. */
    public interface Handler {
        void onConnected();

        void onRtp(byte[] b, int len, long nowNanos);

        void onRtcp(byte[] b, int len, long nowNanos);

        void onFailed(String reason);
    }

    /** Looks at an incoming SRTP packet's clear header and says whether to drop it (simulated network loss). */
    @FunctionalInterface
    public interface InboundFilter {
        boolean drop(byte[] b, int len);
    }

    private final String name;
    private final ClientCertificate certificate;
    private final IceParameters local;
    private final int[] srtpProfiles;
    private final long consentMillis;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService handshakes;
    private final Handler handler;
    private final DatagramChannel channel;
    private final Thread reader;
    private final byte[] stunOut = new byte[256];
    private final byte[][] transactions = new byte[4][];
    private int nextTransaction;
    private volatile InboundFilter filter;
    private volatile boolean closed;
    private volatile InetSocketAddress remote;
    /** The ICE-TCP connection, when the forwarder's description had only a TCP candidate. */
    private volatile TcpLink tcp;
    private volatile StunBinding stun;
    private volatile boolean iceConnected;
    private volatile DtlsHandshake dtls;
    private volatile SrtpSession srtpOut;
    private volatile SrtpSession srtpIn;
    private volatile ScheduledFuture<?> checks;
    private volatile long lastAnswerNanos;

    public PeerConnection(String name, ClientCertificate certificate, int[] srtpProfiles, long consentMillis,
                          ScheduledExecutorService scheduler, ExecutorService handshakes, Handler handler)
            throws IOException {
        this(name, certificate, srtpProfiles, consentMillis, scheduler, handshakes, null, handler);
    }

    /** As above; with a {@code poller}, that poller's thread reads the socket instead of a thread of its own. */
    public PeerConnection(String name, ClientCertificate certificate, int[] srtpProfiles, long consentMillis,
                          ScheduledExecutorService scheduler, ExecutorService handshakes, DatagramPoller poller,
                          Handler handler) throws IOException {
        this.name = name;
        this.certificate = certificate;
        this.local = IceParameters.random(certificate.fingerprintSha256());
        this.srtpProfiles = srtpProfiles.clone();
        this.consentMillis = consentMillis;
        this.scheduler = scheduler;
        this.handshakes = handshakes;
        this.handler = handler;
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        if (poller == null) {
            this.reader = new Thread(this::readLoop, "webrtc-rx-" + name);
            reader.setDaemon(true);
            reader.start();
        } else {
            this.reader = null;
            try {
                poller.register(channel, this::onDatagram);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }
    }

    public IceParameters local() {
        return local;
    }

    public void filter(InboundFilter filter) {
        this.filter = filter;
    }

    /** ICE and DTLS completed: media may flow. */
    public boolean connected() {
        return srtpOut != null && !closed;
    }

    /** Nanos of the latest answered check: consent is alive while this is recent. */
    public long lastAnswerNanos() {
        return lastAnswerNanos;
    }

    /**
     * The forwarder's description: starts checks towards its candidate the first time. Later descriptions of
     * the same transport change nothing (renegotiation keeps the transport; BUNDLE).
     */
    public synchronized void connect(RemoteDescription description) {
        if (closed || !description.hasTransport() || stun != null) {
            return;
        }
        remote = description.candidate();
        if (remote == null) { // only ICE-TCP offered (or left, as on a network that blocks UDP)
            try {
                tcp = TcpLink.open(description.tcpCandidate(), name, this::onDatagram);
            } catch (IOException e) {
                log.info("{}: ICE-TCP connection failed: {}", name, e.toString());
                handler.onFailed("ice-tcp: " + e);
                return;
            }
        }
        stun = new StunBinding(description.ufrag(), local.ufrag(), description.pwd());
        dtls = new DtlsHandshake(certificate, description.fingerprint(), srtpProfiles, this::sendRaw);
        checks = scheduler.scheduleAtFixedRate(this::check, 0, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private long lastCheckNanos;

    private void check() {
        try {
            long now = System.nanoTime();
            if (closed || (iceConnected && now - lastCheckNanos < consentMillis * 1_000_000L)) {
                return;
            }
            lastCheckNanos = now;
            byte[] tx = StunBinding.newTransactionId();
            int n;
            synchronized (transactions) {
                transactions[nextTransaction++ & 3] = tx;
                n = stun.writeRequest(stunOut, tx, true);
            }
            sendRaw(stunOut, 0, n);
        } catch (IOException e) {
            if (!closed) {
                log.debug("{}: check failed: {}", name, e.toString());
            }
        } catch (RuntimeException e) {
            log.warn("{}: check failed", name, e);
        }
    }

    /** Protects {@code b[0, len)} in place (room for the tag needed) and sends it; false if not connected. */
    public boolean sendRtp(byte[] b, int len) {
        SrtpSession s = srtpOut;
        if (s == null || closed) {
            return false;
        }
        int n = s.protectRtp(b, 0, len);
        return n > 0 && trySend(b, n);
    }

    /** As {@link #sendRtp} for a (compound) RTCP packet. */
    public boolean sendRtcp(byte[] b, int len) {
        SrtpSession s = srtpOut;
        if (s == null || closed) {
            return false;
        }
        int n = s.protectRtcp(b, 0, len);
        return n > 0 && trySend(b, n);
    }

    private boolean trySend(byte[] b, int n) {
        try {
            sendRaw(b, 0, n);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void sendRaw(byte[] b, int off, int len) throws IOException {
        TcpLink link = tcp;
        if (link != null) {
            if (!closed) {
                link.send(b, off, len);
            }
            return;
        }
        InetSocketAddress to = remote;
        if (to != null && !closed) {
            channel.send(ByteBuffer.wrap(b, off, len), to);
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        byte[] in = buffer.array();
        while (!closed) {
            int len;
            try {
                buffer.clear();
                if (channel.receive(buffer) == null) {
                    continue;
                }
                len = buffer.position();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (!closed) {
                    log.debug("{}: receive failed: {}", name, e.toString());
                }
                continue;
            }
            try {
                dispatch(in, len, System.nanoTime());
            } catch (RuntimeException e) {
                log.warn("{}: datagram dropped after an error", name, e);
            }
        }
    }

    private void onDatagram(byte[] in, int len, long now) {
        if (!closed) {
            dispatch(in, len, now);
        }
    }

    private void dispatch(byte[] in, int len, long now) {
        switch (PacketClass.of(in, 0, len)) {
            case STUN -> onStun(in, len, now);
            case DTLS -> {
                DtlsHandshake d = dtls;
                if (d != null) {
                    d.offer(in, 0, len);
                }
            }
            case RTP -> {
                SrtpSession s = srtpIn;
                InboundFilter f = filter;
                if (s == null || (f != null && f.drop(in, len))) {
                    return;
                }
                int n = s.unprotectRtp(in, 0, len);
                if (n > 0) {
                    handler.onRtp(in, n, now);
                }
            }
            case RTCP -> {
                SrtpSession s = srtpIn;
                if (s == null) {
                    return;
                }
                int n = s.unprotectRtcp(in, 0, len);
                if (n > 0) {
                    handler.onRtcp(in, n, now);
                }
            }
            default -> { }
        }
    }

    private void onStun(byte[] in, int len, long now) {
        StunBinding s = stun;
        if (s == null) {
            return;
        }
        boolean ours = false;
        synchronized (transactions) {
            for (byte[] tx : transactions) {
                if (tx != null && s.isSuccessFor(in, len, tx)) {
                    ours = true;
                    break;
                }
            }
        }
        if (!ours) {
            return;
        }
        lastAnswerNanos = now;
        if (!iceConnected) {
            iceConnected = true;
            handshakes.execute(this::handshake);
        }
    }

    private void handshake() {
        try {
            SrtpKeys keys = dtls.run();
            srtpIn = keys.receiving();
            srtpOut = keys.sending();
            log.debug("{}: connected ({})", name, keys);
            handler.onConnected();
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.info("{}: DTLS failed: {}", name, e.toString());
                handler.onFailed("dtls: " + e);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        DtlsHandshake d = dtls;
        if (d != null) {
            d.close(); // close_notify while the socket is still open
        }
        closed = true;
        ScheduledFuture<?> c = checks;
        if (c != null) {
            c.cancel(false);
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        TcpLink link = tcp;
        if (link != null) {
            link.close();
        }
        if (reader != null) {
            try {
                reader.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
