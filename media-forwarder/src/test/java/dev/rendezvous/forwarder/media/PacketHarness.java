package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import dev.rendezvous.forwarder.media.dtls.SrtpKeyMaterial;
import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.srtp.SrtpProfile;
import dev.rendezvous.forwarder.media.srtp.SrtpResult;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import dev.rendezvous.forwarder.media.stun.StunRequests;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives a real {@link MediaEngine} at the packet level without sockets or browsers: real SDP through the
 * public signaling calls, real STUN checks, SRTP/SRTCP datagrams through {@link PacketPath#onDatagram} on the
 * test's thread, and what the forwarder sends caught by {@link CapturePacketIo}. Only the DTLS handshake is
 * skipped: keys are agreed directly ({@link MediaEngine#onDtlsConnected}), so each test controls both ends.
 */
final class PacketHarness implements AutoCloseable {

    static final String MEETING = "m1";
    static final long AUDIO_SSRC = 1001;
    static final long VIDEO_SSRC = 2001;
    static final int OPUS = 111;
    static final int VP8 = 96;

    final CapturePacketIo io = new CapturePacketIo();
    final MediaEngine engine;
    final List<MediaEngineNegotiationTest.Offer> offers = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<CapturedChunk> chunks = new CopyOnWriteArrayList<>();
    private int nextPort = 40000;
    /** The engine's clock: a millisecond further at every datagram; tests may move it on. */
    volatile long now = 1_000_000_000L;
    /** A page's stats as the engine reported them (pages that asked, on each timer run). */
    record Stats(String socketId, PageStats stats) {}
    final List<Stats> pageStats = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The last datagram handed to the packet path. */
    byte[] lastDelivered;
    private static final java.lang.management.ThreadMXBean THREAD_CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();
    /** Benchmarks: the CPU time of {@link #deliverAt} and {@link #runTimersAt} (the forwarder's work) is summed. */
    boolean measureCpu;
    long forwarderCpuNanos;

    /**
     * The loopback configuration and no timer thread: a test runs the engine's timed work itself
     * ({@link MediaEngine#runTimersNow}) when it wants it. A real timer thread woke on the wall clock at random moments
     * of a test and acted on the simulated time it had moved (on a loaded CI machine, in the middle of a 500-packet
     * burst: only 156 reached the subscriber).
     */
    PacketHarness() throws Exception {
        this(MediaConfig.loopback());
    }

    PacketHarness(MediaConfig config) throws Exception {
        this(config, false);
    }

    /**
     * A harness whose engine runs no timer thread: the test does the once-a-second work itself
     * ({@link MediaEngine#runTimersNow}) at the simulated times it chooses, and delivers datagrams at exact
     * simulated times ({@link #deliverAt}). Consent checks are needed only every {@code consentTimeout}.
     */
    static PacketHarness simulatedTime(Duration consentTimeout) throws Exception {
        return new PacketHarness(new MediaConfig("127.0.0.1", "127.0.0.1", 0, consentTimeout, 2_500_000,
                Duration.ofSeconds(10)), false);
    }

    private PacketHarness(MediaConfig config, boolean timerThread) throws Exception {
        engine = new MediaEngine(config, DtlsCertificate.generate(), new MediaListener() {
            @Override
            public void subscribeOffer(String m, String s, String sdp, List<RemoteTrack> tracks) {
                offers.add(new MediaEngineNegotiationTest.Offer(m, s, sdp, tracks));
            }

            @Override public void activeSpeaker(String m, String s) { events.add("speaker:" + s); }
            @Override public void pageStats(String m, String s, PageStats st) { pageStats.add(new Stats(s, st)); }
            @Override public void connected(String m, String s, boolean p) { events.add("connected:" + s + ":" + p); }
            @Override public void disconnected(String m, String s, boolean p, String r) { events.add("disconnected:" + s + ":" + p); }
        }, () -> now);
        engine.recordingChunks(chunks::add);
        engine.start(io, timerThread);
    }

    /** Two clients, A and B, in one room, each receiving the other (both answered their subscribe offers). */
    Client[] pair() throws Exception {
        Client a = client("A").join();
        Client b = client("B").join();
        a.answer();
        b.answer();
        return new Client[] {a, b};
    }

    Client client(String socketId) {
        return new Client(socketId, nextPort++, nextPort++);
    }

    /** Runs a datagram through the packet path, a millisecond after the previous one. */
    void deliver(InetSocketAddress from, byte[] datagram) {
        lastDelivered = datagram;
        now += 1_000_000;
        engine.packetPath().onDatagram(from, datagram, 0, datagram.length, now);
    }

    /**
     * Runs a datagram through the packet path at simulated time {@code atNanos} (not before the clock: datagrams
     * delivered at one instant keep it).
     */
    void deliverAt(InetSocketAddress from, byte[] datagram, long atNanos) {
        if (atNanos < now) {
            throw new IllegalArgumentException("the clock does not go back: " + atNanos + " < " + now);
        }
        lastDelivered = datagram;
        now = atNanos;
        long before = measureCpu ? THREAD_CPU.getCurrentThreadCpuTime() : 0;
        engine.packetPath().onDatagram(from, datagram, 0, datagram.length, atNanos);
        if (measureCpu) {
            forwarderCpuNanos += THREAD_CPU.getCurrentThreadCpuTime() - before;
        }
    }

    /** Runs the engine's once-a-second work at simulated time {@code atNanos} (the clock does not go back). */
    void runTimersAt(long atNanos) {
        if (atNanos > now) {
            now = atNanos;
        }
        long before = measureCpu ? THREAD_CPU.getCurrentThreadCpuTime() : 0;
        engine.runTimersNow();
        if (measureCpu) {
            forwarderCpuNanos += THREAD_CPU.getCurrentThreadCpuTime() - before;
        }
    }

    Peer peer(String socketId) {
        return engine.router(MEETING).bySocket.get(socketId);
    }

    long stage(String stage, String outcome) {
        return engine.counters().value(stage, outcome);
    }

    @Override
    public void close() {
        engine.close();
    }

    private static SrtpKeyMaterial keys(int seed) {
        byte[][] k = new byte[4][];
        for (int i = 0; i < 4; i++) {
            k[i] = new byte[i % 2 == 0 ? 16 : 14];
            Arrays.fill(k[i], (byte) (seed * 4 + i));
        }
        return new SrtpKeyMaterial(SrtpKeyMaterial.AES128_CM_HMAC_SHA1_80, k[0], k[1], k[2], k[3]);
    }

    /** One page: a publish and a subscribe "PeerConnection", each with its own address and keys. */
    final class Client {
        final String socketId;
        final InetSocketAddress publishAddress;
        final InetSocketAddress subscribeAddress;
        private final SrtpKeyMaterial publishKeys;
        private final SrtpKeyMaterial subscribeKeys;
        final SrtpSession publishOut;
        final SrtpSession publishIn;
        final SrtpSession subscribeOut;
        private int txid;
        /** What reads the subscribe connection's RTP for {@link #rtpSentTo}, and each stream's first packet. */
        private final SrtpSession subscribeReader;
        private final java.util.Map<Integer, byte[]> firstPacketOf = new java.util.HashMap<>();

        Client(String socketId, int publishPort, int subscribePort) {
            this.socketId = socketId;
            this.publishAddress = new InetSocketAddress("127.0.0.2", publishPort);
            this.subscribeAddress = new InetSocketAddress("127.0.0.2", subscribePort);
            this.publishKeys = keys(publishPort);
            this.subscribeKeys = keys(subscribePort);
            SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
            publishOut = SrtpSession.forSending(p, publishKeys.clientKey(), publishKeys.clientSalt());
            publishIn = SrtpSession.forReceiving(p, publishKeys.serverKey(), publishKeys.serverSalt());
            subscribeOut = SrtpSession.forSending(p, subscribeKeys.clientKey(), subscribeKeys.clientSalt());
            subscribeReader = SrtpSession.forReceiving(p, subscribeKeys.serverKey(), subscribeKeys.serverSalt());
        }

        /** Joins (subscribe side first, as the page does) and publishes a microphone and a camera. */
        Client join() throws Exception {
            return join(MediaEngineNegotiationTest.chromiumOffer("u" + socketId));
        }

        /** Joins and publishes with this offer (ice-ufrag {@code Zq3x} replaced by one of this client's own). */
        Client join(String offer) throws Exception {
            engine.subscribe(MEETING, socketId, "p-" + socketId);
            List<String> answers = new ArrayList<>();
            engine.publish(MEETING, socketId, "p-" + socketId, offer.replace("a=ice-ufrag:Zq3x", "a=ice-ufrag:u" + socketId),
                    List.of(new TrackSpec("0", TrackKind.AUDIO, TrackSource.MICROPHONE, false),
                            new TrackSpec("1", TrackKind.VIDEO, TrackSource.CAMERA, false)), answers::add);
            SessionDescription answer = SessionDescription.parse(answers.get(0));
            check(publishAddress, answer.media().get(0).iceUfrag(), answer.media().get(0).icePwd(), true);
            engine.onDtlsConnected(peer(socketId).publish, publishKeys);
            return this;
        }

        /** Answers the latest subscribe offer (everything accepted); the first time also connects the transport. */
        Client answer() {
            return answer(false);
        }

        /** As {@link #answer()}, but leaving out the offered RTX codecs: a receiver that does not take RTX. */
        Client answerWithoutRtx() {
            return answer(true);
        }

        private Client answer(boolean withoutRtx) {
            MediaEngineNegotiationTest.Offer offer = latestOffer();
            String sdp = MediaEngineNegotiationTest.browserAnswer(offer.sdp());
            engine.subscribeAnswer(MEETING, socketId, withoutRtx ? sdp.replaceAll("a=rtpmap:\\d+ rtx/90000\r\n", "") : sdp);
            Transport t = peer(socketId).subscribe;
            if (!t.keyed()) {
                SessionDescription d = SessionDescription.parse(offer.sdp());
                check(subscribeAddress, d.media().get(0).iceUfrag(), d.media().get(0).icePwd(), true);
                engine.onDtlsConnected(t, subscribeKeys);
            }
            return this;
        }

        MediaEngineNegotiationTest.Offer latestOffer() {
            MediaEngineNegotiationTest.Offer last = null;
            for (MediaEngineNegotiationTest.Offer o : offers) {
                if (o.socketId().equals(socketId)) {
                    last = o;
                }
            }
            if (last == null) {
                throw new AssertionError(socketId + " has no subscribe offer");
            }
            return last;
        }

        /** The SSRC the latest offer gives the camera (or microphone) of {@code publisher}. */
        long offeredSsrc(String publisher, TrackKind kind) {
            MediaEngineNegotiationTest.Offer offer = latestOffer();
            for (RemoteTrack t : offer.tracks()) {
                if (t.socketId().equals(publisher) && t.kind() == kind) {
                    Matcher m = Pattern.compile("a=mid:" + t.mid() + "\r\n(?:.*\r\n)*?a=ssrc:(\\d+) cname").matcher(offer.sdp());
                    if (m.find()) {
                        return Long.parseLong(m.group(1));
                    }
                }
            }
            throw new AssertionError("no " + kind + " of " + publisher + " offered to " + socketId);
        }

        /** ICE consent checks on both connections, as a browser sends every few seconds. */
        void keepAlive() {
            Peer p = peer(socketId);
            if (p.publish != null) {
                check(publishAddress, p.publish.localUfrag, p.publish.localPwd, false);
            }
            if (p.subscribe != null) {
                check(subscribeAddress, p.subscribe.localUfrag, p.subscribe.localPwd, false);
            }
        }

        /** An authenticated STUN binding request from {@code from} to the forwarder's ufrag. */
        void check(InetSocketAddress from, String forwarderUfrag, String forwarderPwd, boolean useCandidate) {
            byte[] id = new byte[12];
            Arrays.fill(id, (byte) ++txid);
            id[0] = (byte) from.getPort();
            deliver(from, StunRequests.binding(forwarderUfrag + ":c" + socketId, forwarderPwd, useCandidate, true, id));
        }

        /** Sends one VP8 packet of the camera ({@code keyframe}: the first packet of a key frame). */
        void sendVideo(int seq, long ts, boolean keyframe) {
            byte[] payload = new byte[100];
            payload[0] = 0x10; // S=1, partition 0
            payload[1] = (byte) (keyframe ? 0x50 : 0x51);
            sendRtp(publishAddress, VP8, VIDEO_SSRC, seq, ts, payload);
        }

        void sendAudio(int seq, long ts) {
            sendRtp(publishAddress, OPUS, AUDIO_SSRC, seq, ts, new byte[60]);
        }

        void sendRtp(InetSocketAddress from, int pt, long ssrc, int seq, long ts, byte[] payload) {
            sendRtp(from, pt, ssrc, seq, ts, new byte[0], payload);
        }

        /** An RTP packet with an RFC 8285 extension block ({@code extensions}: whole words, after 0xBEDE/length). */
        void sendRtp(InetSocketAddress from, int pt, long ssrc, int seq, long ts, byte[] extensions, byte[] payload) {
            int ext = extensions.length == 0 ? 0 : 4 + extensions.length;
            byte[] b = new byte[12 + ext + payload.length + 16];
            b[0] = (byte) (extensions.length == 0 ? 0x80 : 0x90);
            b[1] = (byte) pt;
            Rtp.setSequence(b, 0, seq);
            Rtp.setTimestamp(b, 0, ts);
            Rtp.setSsrc(b, 0, ssrc);
            if (ext > 0) {
                b[12] = (byte) 0xBE;
                b[13] = (byte) 0xDE;
                b[15] = (byte) (extensions.length / 4);
                System.arraycopy(extensions, 0, b, 16, extensions.length);
            }
            System.arraycopy(payload, 0, b, 12 + ext, payload.length);
            int n = publishOut.protectRtp(b, 0, 12 + ext + payload.length);
            deliver(from, Arrays.copyOf(b, n));
        }

        /** Sends an RTCP packet on the subscribe connection (NACK, PLI, RR). */
        void sendSubscriberRtcp(byte[] rtcp, int len) {
            sendSubscriberRtcpFrom(subscribeAddress, rtcp, len);
        }

        void sendSubscriberRtcpFrom(InetSocketAddress from, byte[] rtcp, int len) {
            byte[] b = Arrays.copyOf(rtcp, len + 64);
            int n = subscribeOut.protectRtcp(b, 0, len);
            deliver(from, Arrays.copyOf(b, n));
        }

        /** Decrypted RTP packets the forwarder sent this page's subscribe connection since the last call. */
        List<byte[]> receivedRtp() {
            return rtpSentTo(subscribeAddress);
        }

        /**
         * Decrypted RTP packets sent to {@code address} since the last call. They are read as the page reads them,
         * with one long-lived session that follows each stream's rollover counter across a sequence-number wrap
         * (the forwarder starts each stream at a random number, so a test's burst may wrap). A retransmission
         * repeats a sequence number that session has seen (in a real call it has not: the first copy was lost)
         * and is refused as a replay; it is read with a fresh session primed by the stream's first packet, which
         * therefore knows the rollover counter too.
         */
        List<byte[]> rtpSentTo(InetSocketAddress address) {
            List<byte[]> out = new ArrayList<>();
            for (byte[] b : io.take(address)) {
                if (PacketClass.of(b, 0, b.length) == PacketClass.RTP) {
                    byte[] plain = readRtp(b);
                    if (plain != null) {
                        out.add(plain);
                    }
                }
            }
            return out;
        }

        private byte[] readRtp(byte[] protectedRtp) {
            int ssrc = (int) Rtp.ssrc(protectedRtp, 0);
            byte[] first = firstPacketOf.computeIfAbsent(ssrc, s -> protectedRtp.clone());
            byte[] copy = protectedRtp.clone();
            int n = subscribeReader.unprotectRtp(copy, 0, copy.length);
            if (n == SrtpResult.REPLAY) {
                copy = protectedRtp.clone();
                SrtpSession fresh = subscribeReceiver();
                if (!Arrays.equals(first, protectedRtp)) {
                    byte[] primer = first.clone();
                    fresh.unprotectRtp(primer, 0, primer.length);
                }
                n = fresh.unprotectRtp(copy, 0, copy.length);
            }
            return n > 0 ? Arrays.copyOf(copy, n) : null;
        }

        /**
         * A receiving SRTP session for what the forwarder sends this page's subscribe connection, kept by the
         * caller as a browser keeps one (so it refuses replays, as a browser does).
         */
        SrtpSession subscribeReceiver() {
            return SrtpSession.forReceiving(SrtpProfile.AES_CM_128_HMAC_SHA1_80, subscribeKeys.serverKey(),
                    subscribeKeys.serverSalt());
        }

        /** The RTP packets of {@link #receivedRtp()} with the given SSRC (one subscribed track). */
        List<byte[]> receivedRtp(long ssrc) {
            return receivedRtp().stream().filter(p -> Rtp.ssrc(p, 0) == ssrc).toList();
        }

        /** The media SSRCs of the PLIs in {@link #receivedOnPublish()}: the keyframes the forwarder asked for. */
        List<Long> plisReceived() {
            List<Long> out = new ArrayList<>();
            Rtcp.Cursor cursor = new Rtcp.Cursor();
            for (byte[] rtcp : receivedOnPublish()) {
                if (cursor.reset(rtcp, 0, rtcp.length)) {
                    do {
                        if (Rtcp.isPli(cursor.type(), cursor.fmt())) {
                            out.add(cursor.mediaSsrc());
                        }
                    } while (cursor.next());
                }
            }
            return out;
        }

        /** Decrypted RTCP the forwarder sent this page's publish connection since the last call. */
        List<byte[]> receivedOnPublish() {
            List<byte[]> out = new ArrayList<>();
            for (byte[] b : io.take(publishAddress)) {
                if (PacketClass.of(b, 0, b.length) == PacketClass.RTCP) {
                    byte[] copy = Arrays.copyOf(b, b.length);
                    int n = publishIn.unprotectRtcp(copy, 0, copy.length);
                    if (n > 0) {
                        out.add(Arrays.copyOf(copy, n));
                    }
                }
            }
            return out;
        }
    }
}
