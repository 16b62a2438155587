package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import dev.rendezvous.forwarder.media.dtls.SrtpKeyMaterial;
import dev.rendezvous.forwarder.media.tcp.UdpTcpPacketIo;
import dev.rendezvous.forwarder.sdp.ForwarderSdpWriter.LocalTransport;
import dev.rendezvous.forwarder.sdp.SdpException;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import dev.rendezvous.forwarder.sdp.SdpNegotiator.Accepted;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU's front: what the control side calls (signaling as plain method calls, {@link MediaListener} back),
 * and the assembly of the parts. See "A map of the forwarder" in ARCHITECTURE.md.
 *
 * <p>The object model: a {@link Router} per meeting holds {@link Peer}s; a peer has two {@link Transport}s
 * (publish, subscribe), the {@link Producer}s it publishes and the {@link Consumer}s it receives through; the
 * router's table maps each producer to its consumers. {@link PublishNegotiator} and {@link SubscribeNegotiator}
 * change that model under the room's lock; the {@link PacketPath} (one thread) reads it without locks;
 * {@link MediaTimers} does the timed work; DTLS runs on {@link DtlsHandshakes}' bounded pool; what the DTLS
 * handshakes and the timers report is handled by {@link ConnectionEvents}.
 *
 * <p>Nothing here knows Kafka, Spring or JSON.
 */
public final class MediaEngine implements ForwarderStats, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);
    /** Longest ICE-TCP frame taken: the packet path's receive buffer (the longest datagram it reads whole). */
    static final int TCP_MAX_FRAME = PacketPath.RECEIVE_BUFFER;
    /** Bytes one ICE-TCP connection buffers beyond what its socket takes; more is dropped, packet by packet. */
    static final int TCP_OUT_BUFFER = 64 * 1024;

    private final MediaConfig config;
    private final LongSupplier nanos;
    private final DtlsCertificate certificate;
    private final MediaListener listener;
    private final SecureRandom random = new SecureRandom();
    private final Rooms rooms;
    private final PathCounters counters = new PathCounters();
    private final PacketSender sender = new PacketSender(counters);
    private final Transports transports = new Transports(random);
    private final QualityFigures figures = new QualityFigures(counters);
    private final ParticipantSampler participantSampler = new ParticipantSampler();
    private final KeyframeService keyframes = new KeyframeService(counters, sender);
    private final ConsumerStarts starts = new ConsumerStarts();
    private final LayerControl layers = new LayerControl(keyframes);
    private final DtlsHandshakes dtls;
    private final PublishNegotiator publishing;
    private final SubscribeNegotiator subscribing;
    private final ConnectionEvents events;
    private final PacketPath path;
    private final MediaTimers timers;
    private final RecordingCapture recordings;
    private PacketIo io;
    private Thread packetThread;
    private volatile int boundPort;
    private volatile int boundTcpPort = -1;

    public MediaEngine(MediaConfig config, DtlsCertificate certificate, MediaListener listener) {
        this(config, certificate, listener, System::nanoTime);
    }

    /** @param nanos the monotonic clock of every timeout and rate (tests step it) */
    MediaEngine(MediaConfig config, DtlsCertificate certificate, MediaListener listener, LongSupplier nanos) {
        this.nanos = nanos;
        this.config = config;
        this.rooms = new Rooms(config.maxParticipants(), config.maxRoomParticipants(), this::nextSsrc);
        this.certificate = certificate;
        this.listener = listener;
        this.dtls = new DtlsHandshakes(certificate, config.dtlsTimeout(), config.maxDtlsAssociations(), sender,
                new DtlsHandshakes.Listener() { // to events, made below: it needs the negotiators, which need dtls
                    @Override
                    public void connected(Transport t, SrtpKeyMaterial keys) {
                        events.connected(t, keys);
                    }

                    @Override
                    public void failed(Transport t, String reason) {
                        events.failed(t, reason);
                    }
                });
        this.publishing = new PublishNegotiator(transports, dtls, this::localTransport, this::nextSsrc, keyframes);
        this.subscribing = new SubscribeNegotiator(transports, listener, keyframes, dtls, starts,
                this::localTransport, this::nextSsrc, random, config.answerTimeout());
        this.events = new ConnectionEvents(listener, publishing, subscribing, keyframes, layers, config.consentTimeout(),
                nanos);
        RtpForwarder rtp = new RtpForwarder(counters, sender, figures::rttMs, keyframes);
        RtcpHandler rtcp = new RtcpHandler(counters, sender, keyframes, rtp.out, rtp.outBuffer);
        this.path = new PacketPath(counters, transports, dtls, rtp, rtcp, keyframes, starts, sender, nanos);
        this.timers = new MediaTimers(rooms::all, events, listener, sender, config.consentTimeout().toNanos(),
                config.maxBitrateBps(), nanos);
        this.recordings = new RecordingCapture(keyframes, nanos, () -> System.currentTimeMillis() * 1_000, true);
    }

    /**
     * Binds the UDP socket (and the ICE-TCP port when configured) and starts the threads. When only the TCP port
     * cannot be bound, the forwarder runs on UDP alone (with a warning) rather than not at all.
     */
    public void start() throws IOException {
        if (config.tcpPort() < 0) {
            start(UdpPacketIo.bind(config.bindAddress(), config.port()));
            return;
        }
        PacketIo both;
        try {
            both = UdpTcpPacketIo.bind(config.bindAddress(), config.port(), config.tcpPort(),
                    new UdpTcpPacketIo.Limits(config.maxTcpConnections(), TCP_MAX_FRAME, TCP_OUT_BUFFER,
                            config.consentTimeout().toNanos()));
        } catch (UdpTcpPacketIo.TcpBindException e) {
            log.warn("ICE-TCP port {} cannot be bound ({}): media on UDP only, browsers without UDP cannot connect",
                    config.tcpPort(), e.getCause().toString());
            both = UdpPacketIo.bind(config.bindAddress(), config.port());
        }
        start(both);
    }

    /** Starts on the given datagram I/O (the seam tests use). */
    public synchronized void start(PacketIo packetIo) {
        start(packetIo, true);
    }

    /**
     * As {@link #start(PacketIo)}; without {@code timerThread} nothing does the timed work but
     * {@link #runTimersNow} (tests on a simulated clock, which a real-time timer would read at random moments).
     */
    synchronized void start(PacketIo packetIo, boolean timerThread) {
        if (io != null) {
            return;
        }
        io = packetIo;
        boundPort = packetIo.localPort();
        boundTcpPort = packetIo.tcpPort();
        sender.attach(packetIo);
        path.attach(packetIo);
        if (timerThread) {
            timers.start();
        }
        packetThread = new Thread(path, "media-packets");
        packetThread.setDaemon(true);
        packetThread.setPriority(Thread.MAX_PRIORITY);
        packetThread.start();
        log.info("media socket bound to {}:{}{}, advertised as {}", config.bindAddress(), boundPort,
                boundTcpPort < 0 ? "" : " (ICE-TCP on port " + boundTcpPort + ")", config.advertisedAddress());
    }

    public int port() {
        return boundPort;
    }

    /** ICE-TCP connections open now (0 without ICE-TCP). */
    public synchronized int tcpConnections() {
        return io instanceof UdpTcpPacketIo tcp ? tcp.tcpConnections() : 0;
    }

    /** The passive ICE-TCP port, or -1 when the forwarder offers none. */
    public int tcpPort() {
        return boundTcpPort;
    }

    public StageCounters counters() {
        return counters.stages;
    }

    // ------------------------------------------------------------------ signaling (control side)

    /**
     * A client's publish offer (first, renegotiation, or a new PeerConnection after a restart). The answer goes
     * to {@code onAnswer} first; then every participant's subscription is renegotiated, so the client hears its
     * answer before any subscribe offer that depends on it.
     *
     * @throws SdpException   the offer is unusable
     * @throws MediaException the request is refused for another reason (room closing, forwarder or room full)
     */
    public void publish(String meetingId, String socketId, String participantId, String offerSdp,
                        List<TrackSpec> specs, Consumer<String> onAnswer) {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        List<Accepted> accepted = SdpNegotiator.negotiatePublish(offer);
        Router router = rooms.open(meetingId);
        recordings.attach(router);
        synchronized (router) {
            Peer p = rooms.admitLocked(router, socketId, participantId);
            long now = nanos.getAsLong();
            onAnswer.accept(publishing.publishLocked(p, offer, accepted, specs, now));
            subscribing.renegotiateAllLocked(router, now);
            recordings.describe(router);
        }
    }

    /**
     * Starts (or starts over) a socket's subscribe side: sent when the socket joins, so that its subscribe
     * connection is negotiated while the page still opens its camera, and when a page restarts its media.
     */
    public void subscribe(String meetingId, String socketId, String participantId) {
        subscribe(meetingId, socketId, participantId, null);
    }

    /**
     * As {@link #subscribe(String, String, String)}, with the SHA-256 fingerprint of the certificate the page's
     * subscribe PeerConnection will use (null: unknown). Known in advance, the DTLS handshake need not wait for
     * the page's answer to check the certificate; the answer must then carry the same fingerprint.
     */
    public void subscribe(String meetingId, String socketId, String participantId, String fingerprint) {
        Router router = rooms.open(meetingId);
        recordings.attach(router);
        synchronized (router) {
            boolean joining = router.bySocket.get(socketId) == null;
            Peer p = rooms.admitLocked(router, socketId, participantId);
            long now = nanos.getAsLong();
            subscribing.restartLocked(p, fingerprint, now);
            if (joining) {
                // the others are offered the newcomer's expected tracks now, before it publishes
                subscribing.renegotiateAllLocked(router, now);
            }
        }
        // the speaker is announced only when it changes: tell the room again so the newcomer knows it too
        String speaker = router.speaker;
        if (speaker != null) {
            listener.activeSpeaker(meetingId, speaker);
        }
    }

    /** The client's answer to our last subscribe offer. */
    public void subscribeAnswer(String meetingId, String socketId, String answerSdp) {
        SessionDescription answer = SessionDescription.parse(answerSdp);
        Router router = rooms.get(meetingId);
        if (router == null) {
            throw new MediaException("not_connected", "publish first: this forwarder has no such room");
        }
        synchronized (router) {
            Peer s = router.bySocket.get(socketId);
            if (s == null) {
                throw new MediaException("unexpected_answer", "no subscribe offer is waiting for an answer");
            }
            subscribing.answerLocked(s, answer, nanos.getAsLong());
        }
    }

    /** Mute changes of a client's own tracks: muted tracks are not forwarded (the server enforces it). */
    public void updateTracks(String meetingId, String socketId, List<TrackSpec> specs) {
        Router router = rooms.get(meetingId);
        if (router == null || specs == null) {
            return;
        }
        synchronized (router) {
            Peer p = router.bySocket.get(socketId);
            if (p == null) {
                return;
            }
            publishing.updateTracksLocked(p, specs, nanos.getAsLong());
            recordings.describe(router);
        }
    }

    /**
     * Which simulcast layer a subscriber should get of one publisher's track: 0 the lowest, larger values the
     * higher ones (clamped to the layers the track has; the default is the top). The switch happens at the next
     * keyframe of that layer, which the forwarder asks for; a layer the publisher stops sending is replaced by
     * the highest one still sent below it. Returns false when there is no such consumer (nothing changes).
     */
    public boolean preferLayer(String meetingId, String subscriberSocketId, String publisherSocketId,
                               TrackSource source, int layer) {
        Router router = rooms.get(meetingId);
        if (router == null || source == null) {
            return false;
        }
        synchronized (router) {
            Peer p = router.bySocket.get(subscriberSocketId);
            if (p == null) {
                return false;
            }
            boolean found = false;
            for (dev.rendezvous.forwarder.media.Consumer c : p.consumers) {
                if (!c.closed && c.producer.source == source && c.producer.owner.socketId.equals(publisherSocketId)) {
                    c.preferredLayer = Math.max(0, layer);
                    found = true;
                }
            }
            return found;
        }
    }

    /**
     * How a subscriber's page shows the remote video tracks (every one it has: rendered size, or hidden). Its
     * consumers' layers are capped by the tile widths and hidden ones paused, at once and then every second
     * together with its downlink estimate ({@link LayerControl}). Unknown rooms and sockets are ignored.
     */
    public void viewTiles(String meetingId, String subscriberSocketId, List<TileSpec> tiles) {
        Router router = rooms.get(meetingId);
        if (router == null || tiles == null) {
            return;
        }
        synchronized (router) {
            Peer p = router.bySocket.get(subscriberSocketId);
            if (p != null) {
                layers.viewLocked(p, tiles, nanos.getAsLong());
            }
        }
    }

    /**
     * The page's stats overlay opened ({@code on}) or closed. While open the media timer reports the page's
     * {@link PageStats} once a second; an open that is not repeated lapses after {@link #STATS_WATCH}, so a page that
     * went away without closing costs nothing for long. Unknown rooms and sockets are ignored.
     */
    public void watchStats(String meetingId, String socketId, boolean on) {
        Router router = rooms.get(meetingId);
        Peer p = router == null ? null : router.bySocket.get(socketId);
        if (p != null) {
            p.statsUntilNanos = on ? nanos.getAsLong() + STATS_WATCH.toNanos() : 0;
        }
    }

    /** How long a page's request for stats lasts unless repeated (the page repeats it every 5 s). */
    static final java.time.Duration STATS_WATCH = java.time.Duration.ofSeconds(20);

    /** The socket left the room (or its gateway dropped it): its tracks go, the others renegotiate. */
    public void disconnect(String meetingId, String socketId) {
        Router router = rooms.get(meetingId);
        if (router == null) {
            return;
        }
        synchronized (router) {
            Peer p = router.bySocket.get(socketId);
            if (p == null) {
                return;
            }
            removePeerLocked(p);
            rooms.removeIfEmptyLocked(router);
            subscribing.renegotiateAllLocked(router, nanos.getAsLong());
        }
    }

    /**
     * Starts copying the room's forwarded RTP to {@link MediaListener#recordingChunk} as {@code recordingId}
     * (the room is opened if nobody is in it yet); false when it already records.
     */
    public boolean startRecording(String meetingId, String recordingId) {
        return recordings.start(rooms.open(meetingId), recordingId);
    }

    /** Where recorded tracks' chunks go (recording thread; must not block): the chunk topic's producer. */
    public void recordingChunks(java.util.function.Consumer<CapturedChunk> sink) {
        recordings.sink(sink);
    }

    /** Stops the room's recording ({@code recordingId}, or whichever when null); its tracks end with a last chunk. */
    public boolean stopRecording(String meetingId, String recordingId) {
        return recordings.stop(meetingId, recordingId);
    }

    /** How many rooms this engine holds now (a draining forwarder waits for none). */
    public int roomCount() {
        return rooms.all().size();
    }

    /** The room ended (or its last member left): everything in it goes, its recording stops. */
    public void closeRoom(String meetingId) {
        recordings.stop(meetingId, null);
        Router router = rooms.remove(meetingId);
        if (router == null) {
            return;
        }
        synchronized (router) {
            for (Peer p : List.copyOf(router.bySocket.values())) {
                removePeerLocked(p);
            }
        }
    }

    private void removePeerLocked(Peer p) {
        publishing.closeLocked(p);
        subscribing.closeLocked(p);
        rooms.releaseLocked(p);
    }

    // ------------------------------------------------------------------ helpers and figures

    private LocalTransport localTransport(Transport t) {
        String ufrag = t == null ? "none" : t.localUfrag;
        String pwd = t == null ? "none" : t.localPwd;
        return new LocalTransport(ufrag, pwd, certificate.fingerprintSha256(), config.advertisedAddress(), boundPort,
                boundTcpPort);
    }

    private long nextSsrc() {
        long v;
        do {
            v = random.nextInt() & 0xFFFFFFFFL;
        } while (v == 0);
        return v;
    }

    /** The room of a meeting on this forwarder, or null (package tests). */
    Router router(String meetingId) {
        return rooms.get(meetingId);
    }

    /** A transport's DTLS handshake gave keys (package-private: packet-level tests agree keys without DTLS). */
    void onDtlsConnected(Transport t, SrtpKeyMaterial keys) {
        events.connected(t, keys);
    }

    /** The receive stages, for tests that feed datagrams directly. */
    PacketPath packetPath() {
        return path;
    }

    /** Runs the once-a-second work now (tests). */
    void runTimersNow() {
        timers.everySecond();
    }

    @Override
    public Snapshot snapshot() {
        return figures.snapshot(rooms.all());
    }

    @Override
    public java.util.List<ParticipantQuality> participantQuality() {
        return participantSampler.sample(rooms.all(), System.nanoTime());
    }

    /**
     * The current downlink estimates (bits per second) of the subscribe connections that agreed transport-wide
     * congestion control, sorted ascending. Control side; allocates.
     */
    public long[] downlinkEstimates() {
        return TransportCcFeedback.downlinkEstimates(rooms.all());
    }

    /**
     * Video consumers now: paused (hidden tile), starting, on simulcast layer 0, 1, 2, or a single-stream track, by
     * state name in lower case. Control side; allocates.
     */
    public java.util.Map<String, Integer> videoConsumers() {
        return LayerControl.videoConsumers(rooms.all());
    }

    public long packetsIn() {
        return counters.packetsIn.sum();
    }

    public long packetsOut() {
        return counters.packetsOut.sum();
    }

    /** CPU time the packet thread has used, in nanoseconds (-1 when the JVM cannot tell). */
    public long packetThreadCpuNanos() {
        Thread t = packetThread;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return t == null || !mx.isThreadCpuTimeSupported() ? -1 : mx.getThreadCpuTime(t.getId());
    }

    @Override
    public synchronized void close() {
        path.stop();
        recordings.interruptAll(); // a shutdown does not end the rooms' recordings: no end marker
        for (Router r : List.copyOf(rooms.all())) {
            closeRoom(r.meetingId);
        }
        if (io != null) {
            io.close();
        }
        timers.close();
        recordings.close();
        dtls.close();
        if (packetThread != null) {
            try {
                packetThread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
