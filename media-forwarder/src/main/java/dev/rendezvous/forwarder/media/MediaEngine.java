package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.StageCounters.Counter;
import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import dev.rendezvous.forwarder.media.dtls.DtlsServerEndpoint;
import dev.rendezvous.forwarder.media.dtls.SrtpKeyMaterial;
import dev.rendezvous.forwarder.media.rtp.Keyframes;
import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.srtp.SrtpProfile;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import dev.rendezvous.forwarder.media.stun.StunBindingResponder;
import dev.rendezvous.forwarder.sdp.SdpException;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import dev.rendezvous.forwarder.sdp.SdpNegotiator.Accepted;
import dev.rendezvous.forwarder.sdp.SdpNegotiator.LocalTransport;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU: one UDP socket shared by every participant, and the packet path behind it.
 *
 * <p><b>Threads.</b> One packet thread reads the socket and runs the whole receive → forward chain for each
 * datagram (no queues, no hand-offs, no allocation per packet: one receive buffer, one send buffer). A timer
 * thread sends receiver reports, REMB and keyframe requests and watches ICE consent. DTLS handshakes run on
 * a small pool (BouncyCastle's API blocks). Signaling calls ({@link #publish}, {@link #subscribeAnswer}, …)
 * arrive on the control side's thread and change rooms under the room's monitor; the packet thread sees
 * arrays replaced whole through volatile fields.
 *
 * <p><b>Stages</b> of the receive path, each counting what it drops and why (see {@link StageCounters}):
 * {@code demux} (RFC 7983 first byte) → {@code ice} (STUN binding, {@link StunBindingResponder}) →
 * {@code dtls} (handshake datagrams to the association) → {@code srtp-decrypt} → {@code rtp-parse} →
 * {@code track} (SSRC to published track; receive statistics, NACK tracking, audio level, mute) →
 * {@code rewrite} (stable outbound SSRC, continuous sequence) → {@code fan-out} (re-encrypt per subscriber,
 * send). RTCP from publishers feeds statistics and forwarded sender reports; RTCP from subscribers is
 * answered here: NACKs from the retransmission cache, PLI/FIR passed to the publisher (rate limited),
 * receiver reports into loss and RTT figures.
 *
 * <p>Nothing here knows Kafka, Spring or JSON: signaling is plain method calls and {@link MediaListener}.
 */
public final class MediaEngine implements ForwarderStats, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);
    private static final long PLI_MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** A keyframe older than this (or followed by more packets than that) is not replayed; a PLI is sent instead. */
    static final long REPLAY_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    static final int REPLAY_MAX_PACKETS = 160;
    private static final long NACK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final String ALPHANUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /**
     * @param advertisedAddress the IP in our candidates
     * @param bindAddress       the socket's local address: the advertised one on a host (a socket on 0.0.0.0
     *                          answers loopback checks from another source address and ICE fails); the pod IP
     *                          behind a Kubernetes hostPort
     * @param port              UDP port (0 = any free port, for tests)
     * @param consentTimeout    a connection without a STUN check for this long is gone
     * @param maxBitrateBps     the REMB sent to publishers: what one video track may use
     * @param dtlsTimeout       a DTLS handshake that has not completed in this time fails
     */
    public record Config(String advertisedAddress, String bindAddress, int port, Duration consentTimeout, long maxBitrateBps,
                         Duration dtlsTimeout) {
        public Config {
            Objects.requireNonNull(advertisedAddress, "advertisedAddress");
            if (bindAddress == null || bindAddress.isBlank()) {
                bindAddress = advertisedAddress;
            }
        }

        public static Config loopback() {
            return new Config("127.0.0.1", "127.0.0.1", 0, Duration.ofSeconds(30), 2_500_000, Duration.ofSeconds(10));
        }
    }

    private final Config config;
    private final DtlsCertificate certificate;
    private final MediaListener listener;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    /** The room of a meeting on this forwarder, or null (package tests). */
    Room room(String meetingId) {
        return rooms.get(meetingId);
    }
    private final Map<String, Connection> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Connection> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> forgottenUfrags = new ConcurrentLinkedQueue<>();
    /** Subscribers that just started receiving tracks: the packet thread sends them each track's latest keyframe. */
    private final ConcurrentLinkedQueue<Replay> replays = new ConcurrentLinkedQueue<>();

    private record Replay(Connection subscriber, PublishedTrack[] tracks) {}
    private final StunBindingResponder stun;
    private final StageCounters stages = new StageCounters();
    private final AtomicInteger ssrcs = new AtomicInteger();

    // packet thread state
    private final byte[] in = new byte[2048];
    private final byte[] out = new byte[2048];
    private final byte[] stunOut = new byte[StunBindingResponder.MAX_RESPONSE];
    private final ByteBuffer inBuffer = ByteBuffer.wrap(in);
    private final ByteBuffer outBuffer = ByteBuffer.wrap(out);
    private final Rtcp.Cursor cursor = new Rtcp.Cursor();
    private final int[] nackSeqs = new int[64];
    private final byte[] nackOut = new byte[512];
    private final ByteBuffer nackBuffer = ByteBuffer.wrap(nackOut);

    // counters
    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Counter demuxUnknown = stages.counter("demux", "unknown");
    private final Counter iceAnswered = stages.counter("ice", "answered");
    private final Counter iceDropped = stages.counter("ice", "dropped");
    private final Counter dtlsPassed = stages.counter("dtls", "passed");
    private final Counter dtlsNoSession = stages.counter("dtls", "no_session");
    private final Counter dtlsUnknownSource = stages.counter("dtls", "unknown_source");
    private final Counter srtpUnknownSource = stages.counter("srtp-decrypt", "unknown_source");
    private final Counter srtpNotReady = stages.counter("srtp-decrypt", "not_ready");
    private final Counter srtpAuthFailed = stages.counter("srtp-decrypt", "auth_failed");
    private final Counter srtpReplay = stages.counter("srtp-decrypt", "replay");
    private final Counter srtpMalformed = stages.counter("srtp-decrypt", "malformed");
    private final Counter rtpMalformed = stages.counter("rtp-parse", "malformed");
    private final Counter rtpFromSubscriber = stages.counter("rtp-parse", "from_subscriber");
    private final Counter trackUnknownSsrc = stages.counter("track", "unknown_ssrc");
    private final Counter trackMuted = stages.counter("track", "muted");
    private final Counter rewriteTooOld = stages.counter("rewrite", "too_old");
    private final Counter fanOutSent = stages.counter("fan-out", "sent");
    private final Counter fanOutFailed = stages.counter("fan-out", "failed");
    private final Counter rtcpMalformed = stages.counter("rtcp", "malformed");
    private final Counter rtcpSrForwarded = stages.counter("rtcp", "sr_forwarded");
    private final Counter nackAnswered = stages.counter("nack", "retransmitted");
    private final Counter nackMissed = stages.counter("nack", "not_cached");
    private final Counter nackSent = stages.counter("nack", "sent_to_publisher");
    private final Counter pliForwarded = stages.counter("keyframe", "requested");
    private final Counter pliRateLimited = stages.counter("keyframe", "rate_limited");
    private final Counter keyframeReplayed = stages.counter("keyframe", "replayed_packets");
    private final Counter stageError = stages.counter("engine", "error");

    // quality figures written by the packet thread (subscriber receiver reports)
    private volatile double rttMsAverage;
    private volatile double subscriberLossAverage;

    private DatagramChannel channel;
    private Thread packetThread;
    private ScheduledExecutorService timer;
    private ExecutorService dtlsPool;
    private volatile boolean running;
    private volatile int boundPort;
    private final byte[] timerOut = new byte[1500];
    private final ByteBuffer timerBuffer = ByteBuffer.wrap(timerOut);
    private final byte[] keyframeOut = new byte[64];
    private final ByteBuffer keyframeBuffer = ByteBuffer.wrap(keyframeOut);

    // snapshot bookkeeping (metrics thread)
    private long lastSnapshotNanos = System.nanoTime();
    private long lastPacketsIn, lastPacketsOut, lastBytesIn, lastBytesOut;

    public MediaEngine(Config config, DtlsCertificate certificate, MediaListener listener) {
        this.config = config;
        this.certificate = certificate;
        this.listener = listener;
        this.stun = new StunBindingResponder(ufrag -> {
            Connection c = byUfrag.get(ufrag);
            return c == null || c.closed ? null : c.localPwdBytes;
        });
    }

    /** Binds the socket and starts the threads. */
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        InetAddress address = InetAddress.getByName(config.bindAddress());
        channel = DatagramChannel.open(address instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
        channel.bind(new InetSocketAddress(address, config.port()));
        boundPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        running = true;
        dtlsPool = Executors.newCachedThreadPool(daemon("media-dtls"));
        timer = Executors.newSingleThreadScheduledExecutor(daemon("media-timer"));
        timer.scheduleAtFixedRate(this::everySecond, 1, 1, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(this::decideSpeakers, 300, 300, TimeUnit.MILLISECONDS);
        packetThread = new Thread(this::loop, "media-packets");
        packetThread.setDaemon(true);
        packetThread.setPriority(Thread.MAX_PRIORITY);
        packetThread.start();
        log.info("media socket bound to {}:{}, advertised as {}", config.bindAddress(), boundPort,
                config.advertisedAddress());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return boundPort;
    }

    public StageCounters counters() {
        return stages;
    }

    // ------------------------------------------------------------------ signaling (control side)

    /**
     * A client's publish offer (first, renegotiation, or a new PeerConnection after a restart). The answer goes
     * to {@code onAnswer} first; then every participant's subscription (this one's too) is renegotiated, so
     * the client hears its answer before any subscribe offer that depends on it.
     *
     * @throws SdpException   the offer is unusable
     * @throws MediaException the request is refused for another reason
     */
    public void publish(String meetingId, String socketId, String participantId, String offerSdp,
                        List<TrackSpec> specs, java.util.function.Consumer<String> onAnswer) {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        List<Accepted> accepted = SdpNegotiator.negotiatePublish(offer);
        Room room = rooms.computeIfAbsent(meetingId, Room::new);
        synchronized (room) {
            Participant p = participantLocked(room, socketId, participantId);
            Media first = firstActive(offer);
            if (first == null) {
                // nothing to send (no camera, no microphone): a subscriber only
                removeTracksLocked(p, Set.of());
                onAnswer.accept(SdpNegotiator.writePublishAnswer(offer, accepted, transport(null), 1));
                renegotiateAllLocked(room);
                return;
            }
            boolean fresh = p.publish == null || !Objects.equals(first.iceUfrag(), p.publish.remoteUfrag);
            if (fresh) {
                if (p.publish != null) {
                    closeConnectionLocked(p.publish);
                }
                Connection c = newConnectionLocked(p, true);
                c.remoteUfrag = first.iceUfrag();
                c.remoteFingerprint = first.fingerprintSha256();
                p.publish = c;
                startDtls(c);
                // the subscribe side is not touched: a page that restarts its media asks for it (subscribe())
            } else if (!Objects.equals(first.fingerprintSha256(), p.publish.remoteFingerprint)) {
                throw new SdpException("the DTLS fingerprint changed within one PeerConnection");
            }
            Map<String, TrackSpec> specByMid = new HashMap<>();
            if (specs != null) {
                specs.forEach(s -> specByMid.put(s.mid(), s));
            }
            List<PublishedTrack> tracks = new ArrayList<>();
            Set<PublishedTrack> kept = new HashSet<>();
            boolean cameraTaken = false;
            for (Accepted a : accepted) {
                if (!a.receiving()) {
                    continue;
                }
                TrackSpec spec = specByMid.get(a.mid());
                String source = spec != null && spec.source() != null ? spec.source()
                        : a.kind().equals("audio") ? "microphone" : cameraTaken ? "screen" : "camera";
                if (source.equals("camera")) {
                    cameraTaken = true;
                }
                boolean audio = a.kind().equals("audio");
                PublishedTrack t = null;
                for (PublishedTrack existing : p.tracks) {
                    if (existing.source.equals(source) && existing.audio == audio && !existing.removed) {
                        t = existing;
                    }
                }
                if (t == null) {
                    t = new PublishedTrack(p, source, audio, nextSsrc());
                }
                t.bind(a.mid(), a.codecs(), a.audioLevelId(), a.ssrc());
                t.muted = spec != null && spec.muted();
                if (kept.add(t)) {
                    tracks.add(t);
                }
            }
            removeTracksLocked(p, kept);
            p.tracks = tracks.toArray(new PublishedTrack[0]);
            onAnswer.accept(SdpNegotiator.writePublishAnswer(offer, accepted, transport(p.publish),
                    p.publish.localSsrc));
            renegotiateAllLocked(room);
        }
    }

    /**
     * Starts (or starts over) a socket's subscribe side: sent when the socket joins, so that its subscribe
     * connection is negotiated while the page still opens its camera, and when a page restarts its media (its
     * subscribe PeerConnection is new). Any earlier subscribe connection of the socket is closed; the room's
     * current tracks are offered at once (nothing is offered while nobody else publishes).
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
        Room room = rooms.computeIfAbsent(meetingId, Room::new);
        synchronized (room) {
            Participant p = participantLocked(room, socketId, participantId);
            if (p.subscribe != null) {
                closeConnectionLocked(p.subscribe);
            }
            p.subscribe = null;
            p.slots.clear();
            p.offeredSlots = List.of();
            p.awaitingAnswer = false;
            p.dirty = false;
            p.receiving = new PublishedTrack[0];
            p.subscribeFingerprint = fingerprint == null || fingerprint.isBlank() ? null : fingerprint.trim();
            renegotiateLocked(p);
        }
        // the speaker is announced only when it changes: tell the room again so the newcomer knows it too
        String speaker = room.speaker;
        if (speaker != null) {
            listener.activeSpeaker(meetingId, speaker);
        }
    }

    /** The socket's participant in the room, added if new; refused while the room is being closed. */
    private Participant participantLocked(Room room, String socketId, String participantId) {
        if (rooms.get(room.meetingId) != room) {
            throw new MediaException("unavailable", "the room is closing; try again");
        }
        Participant p = room.bySocket.get(socketId);
        if (p == null) {
            p = new Participant(room, socketId, participantId);
            room.bySocket.put(socketId, p);
            room.refreshMembersLocked();
        }
        return p;
    }

    /** The client's answer to our last subscribe offer. */
    public void subscribeAnswer(String meetingId, String socketId, String answerSdp) {
        SessionDescription answer = SessionDescription.parse(answerSdp);
        Room room = rooms.get(meetingId);
        if (room == null) {
            throw new MediaException("not_connected", "publish first: this forwarder has no such room");
        }
        synchronized (room) {
            Participant s = room.bySocket.get(socketId);
            if (s == null || s.subscribe == null || !s.awaitingAnswer) {
                throw new MediaException("unexpected_answer", "no subscribe offer is waiting for an answer");
            }
            Connection c = s.subscribe;
            Media first = firstActive(answer);
            if (first != null) {
                SdpNegotiator.requireTransport(answer);
                if ("passive".equals(first.setup())) {
                    throw new SdpException("a=setup:passive is not supported: the browser must be the DTLS client");
                }
                if (c.remoteUfrag == null) { // the first answer on this connection
                    String fingerprint = first.fingerprintSha256();
                    if (c.remoteFingerprint == null) {
                        c.remoteFingerprint = fingerprint;
                    } else if (fingerprint == null || !fingerprint.trim().equalsIgnoreCase(c.remoteFingerprint)) {
                        throw new SdpException("the answer's DTLS fingerprint is not the one announced for this subscribe connection");
                    }
                    c.remoteUfrag = first.iceUfrag();
                    fingerprintKnown(c);
                }
            }
            Map<String, Media> byMid = new HashMap<>();
            answer.media().forEach(m -> byMid.put(m.mid(), m));
            List<PublishedTrack> receiving = new ArrayList<>();
            for (Participant.Slot slot : s.offeredSlots) {
                Media m = byMid.get(slot.mid);
                if (slot.active && m != null && !m.rejected() && m.direction().receives()) {
                    receiving.add(slot.track);
                }
            }
            Set<PublishedTrack> before = Set.of(s.receiving);
            s.receiving = receiving.toArray(new PublishedTrack[0]);
            s.awaitingAnswer = false;
            if (c.ready()) {
                List<PublishedTrack> added = new ArrayList<>();
                for (PublishedTrack t : s.receiving) {
                    if (!before.contains(t)) {
                        added.add(t);
                    }
                }
                if (!added.isEmpty()) {
                    replays.add(new Replay(c, added.toArray(new PublishedTrack[0])));
                }
            }
            if (s.dirty) {
                s.dirty = false;
                renegotiateLocked(s);
            }
        }
    }

    /** Mute changes of a client's own tracks: muted tracks are not forwarded (the server enforces it). */
    public void updateTracks(String meetingId, String socketId, List<TrackSpec> specs) {
        Room room = rooms.get(meetingId);
        if (room == null || specs == null) {
            return;
        }
        synchronized (room) {
            Participant p = room.bySocket.get(socketId);
            if (p == null) {
                return;
            }
            for (TrackSpec spec : specs) {
                for (PublishedTrack t : p.tracks) {
                    if (Objects.equals(t.mid, spec.mid()) || (spec.mid() == null && t.source.equals(spec.source()))) {
                        boolean wasMuted = t.muted;
                        t.muted = spec.muted();
                        if (wasMuted && !t.muted) {
                            requestKeyframe(t, System.nanoTime());
                        }
                    }
                }
            }
        }
    }

    /** The socket left the room (or its gateway dropped it): its tracks go, the others renegotiate. */
    public void disconnect(String meetingId, String socketId) {
        Room room = rooms.get(meetingId);
        if (room == null) {
            return;
        }
        synchronized (room) {
            Participant p = room.bySocket.remove(socketId);
            if (p == null) {
                return;
            }
            room.refreshMembersLocked();
            removeParticipantLocked(room, p);
            if (room.bySocket.isEmpty()) {
                rooms.remove(meetingId, room);
            } else {
                renegotiateAllLocked(room);
            }
        }
    }

    /** The room ended (or its last member left): everything in it goes. */
    public void closeRoom(String meetingId) {
        Room room = rooms.remove(meetingId);
        if (room == null) {
            return;
        }
        synchronized (room) {
            for (Participant p : List.copyOf(room.bySocket.values())) {
                removeParticipantLocked(room, p);
            }
            room.bySocket.clear();
            room.refreshMembersLocked();
        }
    }

    private void removeParticipantLocked(Room room, Participant p) {
        removeTracksLocked(p, Set.of());
        if (p.publish != null) {
            closeConnectionLocked(p.publish);
        }
        if (p.subscribe != null) {
            closeConnectionLocked(p.subscribe);
        }
        room.speakers.remove(p.socketId);
    }

    private void removeTracksLocked(Participant p, Set<PublishedTrack> keep) {
        List<PublishedTrack> left = new ArrayList<>();
        for (PublishedTrack t : p.tracks) {
            if (keep.contains(t)) {
                left.add(t);
            } else {
                t.removed = true;
            }
        }
        p.tracks = left.toArray(new PublishedTrack[0]);
    }

    private static Media firstActive(SessionDescription d) {
        for (Media m : d.media()) {
            if (!m.rejected()) {
                return m;
            }
        }
        return null;
    }

    private void renegotiateAllLocked(Room room) {
        for (Participant other : room.bySocket.values()) {
            renegotiateLocked(other);
        }
    }

    /**
     * Brings one participant's subscribe offer up to date with the room: a new m-section per new remote
     * track, inactive for removed ones. One offer at a time: while an answer is awaited, changes wait.
     */
    private void renegotiateLocked(Participant s) {
        if (s.awaitingAnswer) {
            s.dirty = true;
            return;
        }
        Room room = s.room;
        Set<PublishedTrack> present = new HashSet<>();
        for (Participant o : room.bySocket.values()) {
            if (o == s) {
                continue;
            }
            for (PublishedTrack t : o.tracks) {
                if (!t.removed) {
                    present.add(t);
                }
            }
        }
        for (Participant.Slot slot : s.slots) {
            slot.active = slot.track != null && present.contains(slot.track);
        }
        for (Participant o : room.bySocket.values()) {
            if (o == s) {
                continue;
            }
            for (PublishedTrack t : o.tracks) {
                if (!t.removed && s.slots.stream().noneMatch(sl -> sl.track == t)) {
                    s.slots.add(new Participant.Slot(String.valueOf(s.nextMid++), t.kind(), t));
                }
            }
        }
        if (s.slots.isEmpty()) {
            return; // nobody publishes yet: no subscribe PeerConnection needed
        }
        List<Participant.Slot> snapshot = new ArrayList<>();
        for (Participant.Slot slot : s.slots) {
            Participant.Slot copy = new Participant.Slot(slot.mid, slot.kind, slot.track);
            copy.active = slot.active;
            snapshot.add(copy);
        }
        if (s.subscribe != null && sameSlots(snapshot, s.offeredSlots)) {
            return;
        }
        if (s.subscribe == null) {
            s.subscribe = newConnectionLocked(s, false);
            s.subscribe.remoteFingerprint = s.subscribeFingerprint; // null unless the page announced it
            s.subscribeSessionId = Math.abs(random.nextLong() >>> 2);
            s.offerVersion = 0;
        }
        s.offerVersion++;
        List<SdpNegotiator.Slot> sdpSlots = new ArrayList<>();
        List<RemoteTrack> remote = new ArrayList<>();
        for (Participant.Slot slot : snapshot) {
            PublishedTrack t = slot.track;
            String stream = t.owner.socketId;
            sdpSlots.add(new SdpNegotiator.Slot(slot.mid, slot.kind, slot.active, t.codecs, t.outboundSsrc, stream,
                    stream + "-" + t.source));
            if (slot.active) {
                remote.add(new RemoteTrack(slot.mid, stream, t.owner.participantId, t.kind(), t.source, t.muted));
            }
        }
        String offer = SdpNegotiator.writeSubscribeOffer(sdpSlots, transport(s.subscribe), s.subscribeSessionId,
                s.offerVersion);
        if (s.subscribe.remoteUfrag == null) {
            // the connection's first offer: ask for keyframes now, so that a fresh one is in the cache (and
            // replayed) when the connection is up, instead of a PLI round trip after it
            long now = System.nanoTime();
            for (Participant.Slot slot : snapshot) {
                if (slot.active) {
                    requestKeyframe(slot.track, now);
                }
            }
        }
        s.offeredSlots = snapshot;
        s.awaitingAnswer = true;
        listener.subscribeOffer(room.meetingId, s.socketId, offer, remote);
    }

    private static boolean sameSlots(List<Participant.Slot> a, List<Participant.Slot> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Participant.Slot x = a.get(i), y = b.get(i);
            if (!x.mid.equals(y.mid) || x.track != y.track || x.active != y.active) {
                return false;
            }
        }
        return true;
    }

    private LocalTransport transport(Connection c) {
        String ufrag = c == null ? "none" : c.localUfrag;
        String pwd = c == null ? "none" : c.localPwd;
        return new LocalTransport(ufrag, pwd, certificate.fingerprintSha256(), config.advertisedAddress(), boundPort);
    }

    private Connection newConnectionLocked(Participant p, boolean publish) {
        String ufrag;
        do {
            ufrag = randomString(8);
        } while (byUfrag.containsKey(ufrag));
        Connection c = new Connection(p, publish, ufrag, randomString(24), nextSsrc(), System.nanoTime());
        byUfrag.put(ufrag, c);
        return c;
    }

    private void closeConnectionLocked(Connection c) {
        c.closed = true;
        byUfrag.remove(c.localUfrag, c);
        forgottenUfrags.add(c.localUfrag);
        InetSocketAddress remote = c.remote;
        if (remote != null) {
            byAddress.remove(remote, c);
        }
        DtlsServerEndpoint d;
        synchronized (c) { // pairs with startDtlsEarly: either its endpoint is seen here or it sees closed
            d = c.dtls;
        }
        if (d != null) {
            d.close();
        }
    }

    private String randomString(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHANUM.charAt(random.nextInt(ALPHANUM.length())));
        }
        return b.toString();
    }

    private long nextSsrc() {
        long v;
        do {
            v = random.nextInt() & 0xFFFFFFFFL;
        } while (v == 0);
        ssrcs.incrementAndGet();
        return v;
    }

    /**
     * The subscribe side's remote fingerprint arrived (with the answer): hands it to a handshake the browser has
     * already started, or starts the handshake with it.
     */
    private void fingerprintKnown(Connection c) {
        synchronized (c) {
            DtlsServerEndpoint d = c.dtls;
            if (d != null) {
                d.remoteFingerprint(c.remoteFingerprint);
            } else {
                startDtls(c);
            }
        }
    }

    /**
     * The browser's first DTLS datagram on a subscribe connection whose answer has not reached us yet (it
     * travels through Kafka; the browser starts ICE and DTLS as soon as it has set its answer): the handshake
     * starts now (with the fingerprint the page announced at its join, if any; else it waits for it only when
     * it must check the browser's certificate), so the answer's trip overlaps the handshake. Packet thread.
     */
    private void startDtlsEarly(Connection c) {
        synchronized (c) {
            if (c.dtls == null && !c.closed && !c.publish) {
                startDtls(c);
            }
        }
    }

    private void startDtls(Connection c) {
        DtlsServerEndpoint endpoint = new DtlsServerEndpoint(certificate, c.remoteFingerprint,
                (b, off, len) -> sendHandshake(c, b, off, len),
                new DtlsServerEndpoint.Listener() {
                    @Override
                    public void onHandshakeComplete(SrtpKeyMaterial keys) {
                        onDtlsConnected(c, keys);
                    }

                    @Override
                    public void onFailure(String reason, Throwable cause) {
                        if (!c.closed) {
                            log.info("DTLS with {} failed: {}", c.label(), reason);
                            listener.disconnected(c.owner.room.meetingId, c.owner.socketId, c.publish, "dtls: " + reason);
                        }
                    }

                    @Override
                    public void onClosed() {
                        if (!c.closed) {
                            log.debug("DTLS with {} closed by the browser", c.label());
                        }
                    }
                }, dtlsPool, config.dtlsTimeout());
        c.dtls = endpoint;
        endpoint.start();
    }

    private void sendHandshake(Connection c, byte[] b, int off, int len) {
        InetSocketAddress remote = c.remote;
        if (remote == null || c.closed) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(b, off, len), remote);
            packetsOut.increment();
            bytesOut.add(len);
        } catch (IOException e) {
            log.debug("DTLS send to {} failed: {}", remote, e.toString());
        }
    }

    private void onDtlsConnected(Connection c, SrtpKeyMaterial keys) {
        SrtpProfile profile = SrtpProfile.byId(keys.profileId());
        if (profile == null) {
            listener.disconnected(c.owner.room.meetingId, c.owner.socketId, c.publish, "unsupported SRTP profile");
            return;
        }
        c.srtpIn = SrtpSession.forReceiving(profile, keys.clientKey(), keys.clientSalt());
        c.srtpOut = SrtpSession.forSending(profile, keys.serverKey(), keys.serverSalt());
        DtlsServerEndpoint d = c.dtls;
        log.info("{} connected ({}, {}; {})", c.label(), profile, c.remote, d == null ? "" : d.handshakeTiming());
        listener.connected(c.owner.room.meetingId, c.owner.socketId, c.publish);
        long now = System.nanoTime();
        if (c.publish) {
            // subscribers that already wait for this publisher's video want a keyframe as soon as it flows
            for (PublishedTrack t : c.owner.tracks) {
                requestKeyframe(t, now);
            }
        } else {
            startReceivingOffered(c);
            PublishedTrack[] receiving = c.owner.receiving;
            if (receiving.length > 0) {
                replays.add(new Replay(c, receiving));
            }
        }
    }

    /**
     * A subscribe connection's first DTLS handshake completed before the page's answer reached us (the answer
     * travels through Kafka; the browser starts ICE and DTLS only after it has set that answer, so it is already
     * waiting for the offered tracks): forward the offered tracks now instead of when the answer arrives. The
     * answer then sets exactly what the browser accepted. Not for later offers: those may not be applied yet.
     */
    private void startReceivingOffered(Connection c) {
        Participant s = c.owner;
        synchronized (s.room) {
            if (s.subscribe != c || !s.awaitingAnswer || c.remoteUfrag != null || s.receiving.length > 0) {
                return;
            }
            List<PublishedTrack> offered = new ArrayList<>();
            for (Participant.Slot slot : s.offeredSlots) {
                if (slot.active && slot.track != null && !slot.track.removed) {
                    offered.add(slot.track);
                }
            }
            s.receiving = offered.toArray(new PublishedTrack[0]);
        }
    }

    // ------------------------------------------------------------------ the packet thread

    private void loop() {
        while (running) {
            InetSocketAddress from;
            int len;
            try {
                inBuffer.clear();
                SocketAddress sa = channel.receive(inBuffer);
                if (!(sa instanceof InetSocketAddress isa)) {
                    continue;
                }
                from = isa;
                len = inBuffer.position();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (running) {
                    log.warn("media socket receive failed: {}", e.toString());
                }
                continue;
            }
            packetsIn.increment();
            bytesIn.add(len);
            try {
                long now = System.nanoTime();
                switch (PacketClass.of(in, 0, len)) {
                    case STUN -> onStun(from, len, now);
                    case DTLS -> onDtls(from, len);
                    case RTP -> onRtp(from, len, now);
                    case RTCP -> onRtcp(from, len, now);
                    default -> demuxUnknown.increment();
                }
                if (!replays.isEmpty()) {
                    drainReplays(now);
                }
            } catch (RuntimeException e) {
                stageError.increment();
                log.warn("packet from {} dropped after an error", from, e);
            }
        }
    }

    private void onStun(InetSocketAddress from, int len, long now) {
        String forgotten;
        while ((forgotten = forgottenUfrags.poll()) != null) {
            stun.forget(forgotten);
        }
        int n = stun.handle(in, 0, len, from.getAddress().getAddress(), from.getPort(), stunOut);
        if (n < 0) {
            iceDropped.increment();
            return;
        }
        Connection c = byUfrag.get(stun.lastLocalUfrag());
        if (c == null || c.closed) {
            iceDropped.increment();
            return;
        }
        iceAnswered.increment();
        c.lastStunNanos = now;
        InetSocketAddress current = c.remote;
        if (current == null || (stun.lastUseCandidate() && !current.equals(from))) {
            if (current != null) {
                byAddress.remove(current, c);
            }
            c.remote = from;
            Connection previous = byAddress.put(from, c);
            if (previous != null && previous != c) {
                log.debug("address {} moved from {} to {}", from, previous.label(), c.label());
            }
        }
        if (stun.lastUseCandidate()) {
            c.nominated = true;
        }
        send(stunOut, n, from);
    }

    private void onDtls(InetSocketAddress from, int len) {
        Connection c = byAddress.get(from);
        if (c == null) {
            dtlsUnknownSource.increment();
            return;
        }
        DtlsServerEndpoint d = c.dtls;
        if (d == null) {
            startDtlsEarly(c);
            d = c.dtls;
            if (d == null) { // closed meanwhile
                dtlsNoSession.increment();
                return;
            }
        }
        dtlsPassed.increment();
        d.receive(in, 0, len);
    }

    /** The connection a datagram came from, if its DTLS handshake has given it keys; counts why not. */
    private Connection keyedSource(InetSocketAddress from) {
        Connection c = byAddress.get(from);
        if (c == null) {
            srtpUnknownSource.increment();
            return null;
        }
        if (c.srtpIn == null) {
            srtpNotReady.increment();
            return null;
        }
        return c;
    }

    private void onRtp(InetSocketAddress from, int len, long now) {
        Connection c = keyedSource(from);
        if (c == null) {
            return;
        }
        int plen = c.srtpIn.unprotectRtp(in, 0, len);
        if (plen < 0) {
            countSrtp(plen);
            return;
        }
        if (!Rtp.isValid(in, 0, plen)) {
            rtpMalformed.increment();
            return;
        }
        if (!c.publish) {
            rtpFromSubscriber.increment();
            return;
        }
        Participant p = c.owner;
        long ssrc = Rtp.ssrc(in, 0);
        PublishedTrack t = p.trackByInboundSsrc(ssrc);
        if (t == null) {
            t = adoptSsrc(p, ssrc, Rtp.payloadType(in, 0));
            if (t == null) {
                trackUnknownSsrc.increment();
                return;
            }
        }
        int header = Rtp.headerLength(in, 0, plen);
        int seq = Rtp.sequence(in, 0);
        t.stats.onPacket(seq, Rtp.timestamp(in, 0), now, Math.max(0, plen - header));
        if (t.audio) {
            int id = t.audioLevelId;
            if (id > 0) {
                int level = Rtp.audioLevel(in, 0, plen, id);
                if (level >= 0 && !t.muted) {
                    p.room.speakers.onLevel(p.socketId, level, Rtp.audioLevelVad(in, 0, plen, id), now);
                }
            }
        } else {
            t.nacks.onPacket(seq, now);
            if (now - t.lastNackCheckNanos >= NACK_INTERVAL_NANOS) {
                t.lastNackCheckNanos = now;
                sendNacks(c, t, now);
            }
        }
        if (t.muted) {
            // not forwarded, and no gap either: subscribers must not NACK what was never meant for them
            t.rewriter.skip(in, 0, plen, now, t.clockRate);
            trackMuted.increment();
            return;
        }
        if (!t.rewriter.rewrite(in, 0, plen, now, t.clockRate)) {
            rewriteTooOld.increment();
            return;
        }
        if (t.cache != null) {
            int outSeq = Rtp.sequence(in, 0);
            t.cache.put(outSeq, in, 0, plen);
            int payloadLen = plen - header - Rtp.paddingLength(in, 0, plen);
            t.cached(outSeq, payloadLen > 0 && Keyframes.isKeyframeStart(t.family(Rtp.payloadType(in, 0)), in, header,
                    payloadLen), now);
        }
        for (Participant s : p.room.members) {
            if (s == p) {
                continue;
            }
            Connection sc = s.subscribe;
            if (sc == null || !sc.ready() || !s.receives(t)) {
                continue;
            }
            System.arraycopy(in, 0, out, 0, plen);
            int n = sc.srtpOut.protectRtp(out, 0, plen);
            if (n < 0) {
                fanOutFailed.increment();
                continue;
            }
            if (send(out, n, sc.remote)) {
                fanOutSent.increment();
            } else {
                fanOutFailed.increment();
            }
        }
    }

    /** A packet with an SSRC the offer did not announce: bind it to the track of its payload type that has none. */
    private PublishedTrack adoptSsrc(Participant p, long ssrc, int payloadType) {
        for (PublishedTrack t : p.tracks) {
            if (t.inboundSsrc < 0 && t.hasPayloadType(payloadType)) {
                t.inboundSsrc = ssrc;
                return t;
            }
        }
        return null;
    }

    private void countSrtp(int code) {
        switch (code) {
            case dev.rendezvous.forwarder.media.srtp.SrtpResult.AUTH_FAILED -> srtpAuthFailed.increment();
            case dev.rendezvous.forwarder.media.srtp.SrtpResult.REPLAY -> srtpReplay.increment();
            default -> srtpMalformed.increment();
        }
    }

    private void sendNacks(Connection publisher, PublishedTrack t, long now) {
        if (!publisher.ready()) {
            return;
        }
        int count = t.nacks.collect(now, TimeUnit.MILLISECONDS.toNanos(Math.max(20, (long) rttMsAverage + 10)), nackSeqs);
        if (count <= 0) {
            return;
        }
        int n = Rtcp.writeNack(nackOut, 0, publisher.localSsrc, t.inboundSsrc, nackSeqs, count);
        n = publisher.srtpOut.protectRtcp(nackOut, 0, n);
        if (n > 0 && sendControl(nackBuffer, n, publisher.remote)) {
            nackSent.increment();
        }
    }

    /**
     * Sends an RTCP packet the forwarder wrote itself (NACK, PLI, RR+REMB) from {@code buffer}'s backing array
     * [0, n); each caller owns its buffer (packet thread, timer, keyframe lock). False when the send failed.
     */
    private boolean sendControl(ByteBuffer buffer, int n, InetSocketAddress to) {
        buffer.clear().limit(n);
        try {
            channel.send(buffer, to);
            packetsOut.increment();
            bytesOut.add(n);
            return true;
        } catch (IOException e) {
            fanOutFailed.increment();
            return false;
        }
    }

    private void onRtcp(InetSocketAddress from, int len, long now) {
        Connection c = keyedSource(from);
        if (c == null) {
            return;
        }
        int plen = c.srtpIn.unprotectRtcp(in, 0, len);
        if (plen < 0) {
            countSrtp(plen);
            return;
        }
        if (!cursor.reset(in, 0, plen)) {
            rtcpMalformed.increment();
            return;
        }
        Participant p = c.owner;
        do {
            int type = cursor.type();
            int fmt = cursor.fmt();
            if (c.publish) {
                if (type == Rtcp.SR) {
                    PublishedTrack t = p.trackByInboundSsrc(cursor.senderSsrc());
                    if (t != null) {
                        t.stats.onSenderReport(cursor.srNtp(), now);
                        forwardSenderReport(p, t, now);
                    }
                }
            } else {
                if (type == Rtcp.RR || type == Rtcp.SR) {
                    for (int i = 0; i < cursor.reportBlockCount(); i++) {
                        onSubscriberReport(p, i, now);
                    }
                } else if (Rtcp.isNack(type, fmt)) {
                    answerNack(c, p, now);
                } else if (Rtcp.isPli(type, fmt)) {
                    PublishedTrack t = receivingTrack(p, cursor.mediaSsrc());
                    if (t != null) {
                        requestKeyframe(t, now);
                    }
                } else if (Rtcp.isFir(type, fmt)) {
                    for (int i = 0; i < cursor.firCount(); i++) {
                        PublishedTrack t = receivingTrack(p, cursor.firSsrc(i));
                        if (t != null) {
                            requestKeyframe(t, now);
                        }
                    }
                }
            }
        } while (cursor.next());
    }

    private static PublishedTrack receivingTrack(Participant s, long outboundSsrc) {
        for (PublishedTrack t : s.receiving) {
            if (t.outboundSsrc == outboundSsrc) {
                return t;
            }
        }
        return null;
    }

    private void onSubscriberReport(Participant s, int block, long now) {
        PublishedTrack t = receivingTrack(s, cursor.rbSsrc(block));
        if (t == null) {
            return;
        }
        double loss = cursor.rbFractionLost(block) / 256.0;
        subscriberLossAverage = subscriberLossAverage * 0.9 + loss * 0.1;
        long lsr = cursor.rbLsr(block);
        if (lsr != 0 && lsr == t.forwardedLsr) {
            long dlsrNanos = cursor.rbDlsr(block) * 1_000_000_000L / 65_536;
            double rtt = (now - t.forwardedLsrNanos - dlsrNanos) / 1e6;
            if (rtt >= 0 && rtt < 10_000) {
                rttMsAverage = rttMsAverage == 0 ? rtt : rttMsAverage * 0.8 + rtt * 0.2;
            }
        }
    }

    private void answerNack(Connection c, Participant s, long now) {
        PublishedTrack t = receivingTrack(s, cursor.mediaSsrc());
        if (t == null || t.cache == null) {
            return;
        }
        for (int i = 0; i < cursor.nackCount(); i++) {
            int pid = cursor.nackPid(i);
            int blp = cursor.nackBlp(i);
            retransmit(c, t, pid);
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    retransmit(c, t, (pid + bit + 1) & 0xFFFF);
                }
            }
        }
    }

    private void retransmit(Connection c, PublishedTrack t, int seq) {
        int n = t.cache.get(seq, out, 0);
        if (n < 0) {
            nackMissed.increment();
            return;
        }
        n = c.srtpOut.protectRtp(out, 0, n);
        if (n > 0 && send(out, n, c.remote)) {
            nackAnswered.increment();
        }
    }

    /** A publisher's SR, re-addressed to the track's outbound SSRC (report blocks dropped), to its subscribers. */
    private void forwardSenderReport(Participant p, PublishedTrack t, long now) {
        int off = cursor.offset();
        if (cursor.length() < 28) {
            return;
        }
        byte[] sr = nackOut; // packet thread's scratch buffer for RTCP
        System.arraycopy(in, off, sr, 0, 28);
        sr[0] = (byte) 0x80; // V=2, no padding, RC=0
        sr[2] = 0;
        sr[3] = 6; // 7 words - 1
        writeU32(sr, 4, t.outboundSsrc);
        long ntp = cursor.srNtp();
        t.forwardedLsr = (ntp >>> 16) & 0xFFFFFFFFL;
        t.forwardedLsrNanos = now;
        for (Participant s : p.room.members) {
            if (s == p) {
                continue;
            }
            Connection sc = s.subscribe;
            if (sc == null || !sc.ready() || !s.receives(t)) {
                continue;
            }
            System.arraycopy(sr, 0, out, 0, 28);
            int n = sc.srtpOut.protectRtcp(out, 0, 28);
            if (n > 0 && send(out, n, sc.remote)) {
                rtcpSrForwarded.increment();
            }
        }
    }

    private static void writeU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private boolean send(byte[] buf, int len, InetSocketAddress to) {
        if (to == null) {
            return false;
        }
        outBuffer.clear();
        if (buf == out) {
            outBuffer.limit(len);
        } else {
            System.arraycopy(buf, 0, out, 0, len);
            outBuffer.limit(len);
        }
        try {
            channel.send(outBuffer, to);
            packetsOut.increment();
            bytesOut.add(len);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ keyframes, reports, consent

    /**
     * Packet thread: for each subscriber that just started receiving tracks, sends every video track's latest
     * keyframe and the packets after it from the retransmission cache (when the keyframe is recent and the run
     * short: at most {@value #REPLAY_MAX_PACKETS} packets, {@link #REPLAY_MAX_AGE_NANOS}), so its first picture
     * needs no PLI round trip; otherwise asks the publisher for a keyframe.
     */
    private void drainReplays(long now) {
        Replay r;
        while ((r = replays.poll()) != null) {
            Connection c = r.subscriber();
            if (!c.ready()) {
                continue;
            }
            for (PublishedTrack t : r.tracks()) {
                if (t.audio || t.removed || t.muted || t.cache == null) {
                    continue;
                }
                if (!replayKeyframe(c, t, now)) {
                    requestKeyframe(t, now);
                }
            }
        }
    }

    private boolean replayKeyframe(Connection c, PublishedTrack t, long now) {
        int first = t.keyframeSeq;
        int last = t.highestCachedSeq;
        if (first < 0 || last < 0 || now - t.keyframeNanos > REPLAY_MAX_AGE_NANOS) {
            return false;
        }
        int count = ((last - first) & 0xFFFF) + 1;
        if (count > REPLAY_MAX_PACKETS || count > t.cache.slots()) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (!t.cache.contains((first + i) & 0xFFFF)) {
                return false;
            }
        }
        for (int i = 0; i < count; i++) {
            int n = t.cache.get((first + i) & 0xFFFF, out, 0);
            if (n < 0) {
                return i > 0;
            }
            n = c.srtpOut.protectRtp(out, 0, n);
            if (n > 0 && send(out, n, c.remote)) {
                keyframeReplayed.increment();
            }
        }
        return true;
    }

    /** Asks the publisher of {@code t} for a keyframe (PLI), at most every 300 ms per track. Any thread. */
    private void requestKeyframe(PublishedTrack t, long now) {
        if (t.audio || t.removed) {
            return;
        }
        Connection pc = t.owner.publish;
        if (pc == null || !pc.ready() || t.inboundSsrc < 0) {
            return;
        }
        synchronized (keyframeOut) {
            if (now - t.lastPliNanos < PLI_MIN_INTERVAL_NANOS && t.lastPliNanos != 0) {
                pliRateLimited.increment();
                return;
            }
            t.lastPliNanos = now;
            int n = Rtcp.writePli(keyframeOut, 0, pc.localSsrc, t.inboundSsrc);
            n = pc.srtpOut.protectRtcp(keyframeOut, 0, n);
            if (n > 0 && sendControl(keyframeBuffer, n, pc.remote)) {
                pliForwarded.increment();
            }
        }
    }

    private void everySecond() {
        try {
            long now = System.nanoTime();
            for (Room room : rooms.values()) {
                for (Participant p : room.members) {
                    Connection pc = p.publish;
                    if (pc != null && pc.ready() && p.tracks.length > 0) {
                        sendReceiverReport(pc, p, now);
                    }
                    checkConsent(room, p, now);
                }
            }
        } catch (RuntimeException e) {
            log.warn("media timer failed", e);
        }
    }

    /** RR for every track of a publisher, plus REMB for its video: what it may send. */
    private void sendReceiverReport(Connection pc, Participant p, long now) {
        int off = 0;
        int blocks = 0;
        PublishedTrack[] tracks = p.tracks;
        int headerAt = off;
        off += 8;
        long[] videoSsrcs = new long[tracks.length];
        int videos = 0;
        for (PublishedTrack t : tracks) {
            ReceiveStats st = t.stats;
            if (t.inboundSsrc < 0 || st == null || st.packetsReceived() == 0 || blocks >= 31) {
                continue;
            }
            off += Rtcp.writeReportBlock(timerOut, off, t.inboundSsrc, st.fractionLostAndReset(),
                    (int) Math.min(st.cumulativeLost(), 0x7FFFFF), st.extendedHighestSeq(), st.jitterRtpUnits(),
                    st.lsr(), st.dlsr(now));
            blocks++;
            if (!t.audio) {
                videoSsrcs[videos++] = t.inboundSsrc;
            }
        }
        if (blocks == 0) {
            return;
        }
        Rtcp.writeReceiverReport(timerOut, headerAt, pc.localSsrc, blocks);
        if (videos > 0) {
            off += Rtcp.writeRemb(timerOut, off, pc.localSsrc, config.maxBitrateBps(), videoSsrcs, videos);
        }
        int n = pc.srtpOut.protectRtcp(timerOut, 0, off);
        if (n > 0) {
            sendControl(timerBuffer, n, pc.remote);
        }
    }

    private void checkConsent(Room room, Participant p, long now) {
        long limit = config.consentTimeout().toNanos();
        Connection pc = p.publish;
        if (pc != null && !pc.closed && now - pc.lastStunNanos > limit) {
            log.info("{}: no ICE consent for {} s, dropping its tracks", pc.label(), config.consentTimeout().toSeconds());
            synchronized (room) {
                if (p.publish == pc) {
                    closeConnectionLocked(pc);
                    removeTracksLocked(p, Set.of());
                    renegotiateAllLocked(room);
                }
            }
            listener.disconnected(room.meetingId, p.socketId, true, "ice consent expired");
        }
        Connection sc = p.subscribe;
        if (sc != null && !sc.closed && sc.remoteUfrag != null && now - sc.lastStunNanos > limit) {
            synchronized (room) {
                if (p.subscribe == sc) {
                    closeConnectionLocked(sc);
                }
            }
            listener.disconnected(room.meetingId, p.socketId, false, "ice consent expired");
        }
    }

    private void decideSpeakers() {
        try {
            long now = System.nanoTime();
            for (Room room : rooms.values()) {
                String speaker = room.speakers.decide(now);
                if (!Objects.equals(speaker, room.speaker)) {
                    room.speaker = speaker;
                    listener.activeSpeaker(room.meetingId, speaker);
                }
            }
        } catch (RuntimeException e) {
            log.warn("active speaker decision failed", e);
        }
    }

    // ------------------------------------------------------------------ figures

    @Override
    public synchronized Snapshot snapshot() {
        long now = System.nanoTime();
        double seconds = Math.max(0.001, (now - lastSnapshotNanos) / 1e9);
        long pin = packetsIn.sum(), pout = packetsOut.sum(), bin = bytesIn.sum(), bout = bytesOut.sum();
        double pinRate = (pin - lastPacketsIn) / seconds;
        double poutRate = (pout - lastPacketsOut) / seconds;
        double binRate = (bin - lastBytesIn) * 8 / seconds;
        double boutRate = (bout - lastBytesOut) * 8 / seconds;
        lastSnapshotNanos = now;
        lastPacketsIn = pin;
        lastPacketsOut = pout;
        lastBytesIn = bin;
        lastBytesOut = bout;
        int roomCount = 0, participants = 0, streamsIn = 0, streamsOut = 0;
        double jitter = 0;
        int jitterCount = 0;
        long lost = 0, received = 0;
        for (Room room : rooms.values()) {
            Participant[] members = room.members;
            if (members.length > 0) {
                roomCount++;
            }
            participants += members.length;
            for (Participant p : members) {
                streamsOut += p.receiving.length;
                for (PublishedTrack t : p.tracks) {
                    streamsIn++;
                    ReceiveStats st = t.stats;
                    if (st != null && st.packetsReceived() > 0) {
                        jitter += st.jitterMs();
                        jitterCount++;
                        lost += Math.max(0, st.cumulativeLost());
                        received += st.packetsReceived();
                    }
                }
            }
        }
        double inboundLoss = received + lost == 0 ? 0 : (double) lost / (received + lost);
        double loss = Math.min(1, Math.max(0, Math.max(inboundLoss, subscriberLossAverage)));
        return new Snapshot(roomCount, participants, streamsIn, streamsOut, pinRate, poutRate, binRate, boutRate,
                loss, jitterCount == 0 ? 0 : jitter / jitterCount, Math.max(0, rttMsAverage));
    }

    public long packetsIn() {
        return packetsIn.sum();
    }

    public long packetsOut() {
        return packetsOut.sum();
    }

    @Override
    public synchronized void close() {
        running = false;
        for (String id : List.copyOf(rooms.keySet())) {
            closeRoom(id);
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing
            }
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (dtlsPool != null) {
            dtlsPool.shutdownNow();
        }
        if (packetThread != null) {
            try {
                packetThread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
