package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import dev.rendezvous.forwarder.sdp.SdpException;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's signaling side with real SDP and a real (loopback, ephemeral) socket: who gets which
 * subscribe offer when, one offer outstanding at a time, tracks that go become inactive sections.
 */
class MediaEngineNegotiationTest {

    record Offer(String meetingId, String socketId, String sdp, List<RemoteTrack> tracks) {}

    private final List<Offer> offers = new CopyOnWriteArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private final List<String> speakers = new CopyOnWriteArrayList<>();
    private MediaEngine engine;
    private MediaListener listener;

    @BeforeEach
    void start() throws Exception {
        listener = new MediaListener() {
            @Override
            public void subscribeOffer(String meetingId, String socketId, String sdp, List<RemoteTrack> tracks) {
                offers.add(new Offer(meetingId, socketId, sdp, tracks));
            }

            @Override public void activeSpeaker(String meetingId, String socketId) { speakers.add(socketId); }
            @Override public void connected(String meetingId, String socketId, boolean publish) { }
            @Override public void disconnected(String meetingId, String socketId, boolean publish, String reason) { }
        };
        engine = new MediaEngine(MediaConfig.loopback(), DtlsCertificate.generate(), listener);
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    static String chromiumOffer(String ufrag) throws Exception {
        try (InputStream in = MediaEngineNegotiationTest.class.getResourceAsStream("/sdp/chromium-publish-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("a=ice-ufrag:Zq3x", "a=ice-ufrag:" + ufrag);
        }
    }

    /** What a browser answers to a subscribe offer: everything accepted, receive-only, DTLS client. */
    static String browserAnswer(String offer) {
        return offer.replace("a=sendonly", "a=recvonly").replace("a=setup:actpass", "a=setup:active")
                .replaceAll("a=ice-ufrag:[^\r]*", "a=ice-ufrag:brws")
                .replaceAll("a=ice-pwd:[^\r]*", "a=ice-pwd:browserpassword0123456789")
                .replaceAll("a=fingerprint:sha-256 [^\r]*", "a=fingerprint:sha-256 AB:CD")
                .replace("a=ice-lite\r\n", "");
    }

    private void publish(String socket, String ufrag) throws Exception {
        engine.publish("m1", socket, "p-" + socket, chromiumOffer(ufrag),
                List.of(new TrackSpec("0", "audio", "microphone", false), new TrackSpec("1", "video", "camera", false)),
                answers::add);
    }

    private List<Offer> offersTo(String socket) {
        return offers.stream().filter(o -> o.socketId().equals(socket)).toList();
    }

    @Test
    void shouldAnswerTheFirstPublisherWithoutOfferingItAnything() throws Exception {
        publish("A", "ua");
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0)).contains("a=ice-lite", "127.0.0.1 " + engine.port() + " typ host");
        assertThat(offers).isEmpty();
        assertThat(engine.snapshot().participants()).isEqualTo(1);
        assertThat(engine.snapshot().streamsIn()).isEqualTo(2);
    }

    @Test
    void shouldOfferEachPublisherTheOthersTracksWithTheForwardersSsrcs() throws Exception {
        publish("A", "ua");
        publish("B", "ub");
        Offer toA = offersTo("A").get(0);
        Offer toB = offersTo("B").get(0);
        assertThat(toA.tracks()).extracting(RemoteTrack::socketId).containsOnly("B");
        assertThat(toA.tracks()).extracting(RemoteTrack::source).containsExactly(TrackSource.MICROPHONE, TrackSource.CAMERA);
        assertThat(toB.tracks()).extracting(RemoteTrack::socketId).containsOnly("A");
        SessionDescription a = SessionDescription.parse(toA.sdp());
        assertThat(a.media()).extracting(SessionDescription.Media::direction)
                .containsOnly(SessionDescription.Direction.SENDONLY);
        // not the publisher's SSRCs (1001/2001): the forwarder's own, stable per track
        assertThat(a.media()).extracting(SessionDescription.Media::primarySsrc).doesNotContain(1001L, 2001L);
    }

    @Test
    void shouldKeepOneOfferOutstandingAndSendTheChangesAfterTheAnswer() throws Exception {
        publish("A", "ua");
        publish("B", "ub");
        assertThat(offersTo("A")).hasSize(1);
        publish("C", "uc"); // A still owes its answer: no second offer yet
        assertThat(offersTo("A")).hasSize(1);
        engine.subscribeAnswer("m1", "A", browserAnswer(offersTo("A").get(0).sdp()));
        assertThat(offersTo("A")).hasSize(2);
        assertThat(offersTo("A").get(1).tracks()).extracting(RemoteTrack::socketId).containsExactly("B", "B", "C", "C");
    }

    @Test
    void shouldMarkALeaversSectionsInactiveAndReuseThemForTheNextTracks() throws Exception {
        publish("A", "ua");
        publish("B", "ub");
        engine.subscribeAnswer("m1", "A", browserAnswer(offersTo("A").get(0).sdp()));
        engine.disconnect("m1", "B");
        Offer after = offersTo("A").get(1);
        assertThat(after.tracks()).isEmpty();
        SessionDescription d = SessionDescription.parse(after.sdp());
        assertThat(d.media()).extracting(SessionDescription.Media::mid).containsExactly("0", "1");
        assertThat(d.media()).extracting(SessionDescription.Media::direction)
                .containsOnly(SessionDescription.Direction.INACTIVE);
        assertThat(d.media()).allSatisfy(m -> assertThat(m.codecs()).hasSize(1));
        engine.subscribeAnswer("m1", "A", browserAnswer(after.sdp()));
        publish("C", "uc");
        Offer third = offersTo("A").get(2);
        assertThat(third.tracks()).as("C's tracks take the sections B left")
                .extracting(RemoteTrack::mid).containsExactly("0", "1");
        assertThat(third.tracks()).extracting(RemoteTrack::socketId).containsOnly("C");
        assertThat(SessionDescription.parse(third.sdp()).media()).hasSize(2);
        assertThat(engine.snapshot().participants()).isEqualTo(2);
    }

    @Test
    void shouldKeepTheSubscribeOfferBoundedWhilePublishersComeAndGo() throws Exception {
        publish("A", "ua");
        for (int i = 0; i < 40; i++) {
            publish("P" + i, "up" + i);
            engine.subscribeAnswer("m1", "A", browserAnswer(last(offersTo("A")).sdp()));
            engine.disconnect("m1", "P" + i);
            engine.subscribeAnswer("m1", "A", browserAnswer(last(offersTo("A")).sdp()));
        }
        SessionDescription d = SessionDescription.parse(last(offersTo("A")).sdp());
        assertThat(d.media()).as("two sections, reused by each of 40 publishers in turn").hasSize(2);
    }

    @Test
    void shouldSendAnUnansweredOfferAgainAndThenDropTheSubscribeConnection() throws Exception {
        List<String> dropped = new CopyOnWriteArrayList<>();
        MediaListener recording = new MediaListener() {
            @Override public void subscribeOffer(String m, String s, String sdp, List<RemoteTrack> t) { offers.add(new Offer(m, s, sdp, t)); }
            @Override public void activeSpeaker(String m, String s) { }
            @Override public void connected(String m, String s, boolean p) { }
            @Override public void disconnected(String m, String s, boolean p, String r) { dropped.add(s + ":" + p + ":" + r); }
        };
        MediaConfig c = MediaConfig.loopback();
        MediaEngine quick = new MediaEngine(new MediaConfig(c.advertisedAddress(), c.bindAddress(), 0,
                c.consentTimeout(), c.maxBitrateBps(), c.dtlsTimeout(), 10, 10, java.time.Duration.ofMillis(1)), DtlsCertificate.generate(), recording);
        try {
            quick.subscribe("m1", "A", "p-A");
            quick.publish("m1", "B", "p-B", chromiumOffer("ub"), List.of(), answers::add);
            assertThat(offersTo("A")).hasSize(1);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).until(() -> {
                quick.runTimersNow();
                return offersTo("A").size() == 2;
            });
            assertThat(offersTo("A").get(1).tracks()).isEqualTo(offersTo("A").get(0).tracks());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).until(() -> {
                quick.runTimersNow();
                return !dropped.isEmpty();
            });
            assertThat(dropped).contains("A:false:subscribe offer not answered");
            quick.subscribe("m1", "A", "p-A"); // the page starts over
            assertThat(offersTo("A")).hasSize(3);
            assertThat(SessionDescription.parse(offersTo("A").get(2).sdp()).media().get(0).iceUfrag())
                    .isNotEqualTo(SessionDescription.parse(offersTo("A").get(0).sdp()).media().get(0).iceUfrag());
        } finally {
            quick.close();
        }
    }

    @Test
    void shouldRefuseParticipantsBeyondTheRoomAndForwarderLimits() throws Exception {
        MediaConfig c = MediaConfig.loopback();
        MediaEngine small = new MediaEngine(new MediaConfig(c.advertisedAddress(), c.bindAddress(), 0,
                c.consentTimeout(), c.maxBitrateBps(), c.dtlsTimeout(), 3, 2, c.answerTimeout()), DtlsCertificate.generate(), listener);
        try {
            small.subscribe("m1", "A", "p-A");
            small.subscribe("m1", "B", "p-B");
            assertThatThrownBy(() -> small.subscribe("m1", "C", "p-C"))
                    .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.code()).isEqualTo("room_full"));
            small.subscribe("m2", "C", "p-C");
            assertThatThrownBy(() -> small.subscribe("m3", "D", "p-D"))
                    .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.code()).isEqualTo("capacity"));
            small.disconnect("m1", "A");
            small.subscribe("m3", "D", "p-D"); // a place came free
            assertThat(small.snapshot().participants()).isEqualTo(3);
        } finally {
            small.close();
        }
    }

    private static Offer last(List<Offer> list) {
        return list.get(list.size() - 1);
    }

    @Test
    void shouldKeepTracksAndRestartTheSubscribeSideWhenThePageRestartsItsMedia() throws Exception {
        publish("A", "ua");
        publish("B", "ub");
        engine.subscribeAnswer("m1", "A", browserAnswer(offersTo("A").get(0).sdp()));
        engine.subscribeAnswer("m1", "B", browserAnswer(offersTo("B").get(0).sdp()));
        int offersToA = offersTo("A").size();
        int offersToB = offersTo("B").size();
        String oldUfrag = SessionDescription.parse(offersTo("B").get(0).sdp()).media().get(0).iceUfrag();
        // B's page lost its connections: it asks for a new subscribe side, then publishes on a new connection
        engine.subscribe("m1", "B", "p-B");
        assertThat(offersTo("B")).hasSize(offersToB + 1);
        Offer fresh = offersTo("B").get(offersToB);
        assertThat(fresh.sdp()).contains("o=rendezvous ").contains(" 1 IN IP4"); // a new session, version 1
        assertThat(SessionDescription.parse(fresh.sdp()).media().get(0).iceUfrag()).isNotEqualTo(oldUfrag);
        assertThat(fresh.tracks()).extracting(RemoteTrack::socketId).containsOnly("A");
        publish("B", "ub2");
        assertThat(offersTo("A")).as("A's view of B's tracks is unchanged").hasSize(offersToA);
        assertThat(offersTo("B")).as("the republish does not touch B's new subscribe side").hasSize(offersToB + 1);
        engine.subscribeAnswer("m1", "B", browserAnswer(fresh.sdp()));
    }

    @Test
    void shouldOfferEachJoinerTheOthersExpectedTracksBeforeAnyonePublishes() throws Exception {
        engine.subscribe("m1", "A", "p-A");
        assertThat(offers).as("alone: nothing to offer").isEmpty();
        engine.subscribe("m1", "B", "p-B");
        assertThat(offersTo("A")).hasSize(1);
        assertThat(offersTo("B")).hasSize(1);
        assertThat(offersTo("A").get(0).tracks()).extracting(RemoteTrack::socketId).containsOnly("B");
        assertThat(offersTo("B").get(0).tracks()).extracting(RemoteTrack::source)
                .containsExactly(TrackSource.MICROPHONE, TrackSource.CAMERA);
        assertThat(offersTo("B").get(0).sdp()).contains("a=rtpmap:111 opus/48000/2", "a=rtpmap:96 VP8/90000");
        assertThat(engine.snapshot().streamsIn()).as("expected tracks are not streams yet").isZero();

        engine.subscribeAnswer("m1", "A", browserAnswer(offersTo("A").get(0).sdp()));
        publish("B", "ub"); // B's real tracks take the sections A already has: no new offer
        assertThat(offersTo("A")).hasSize(1);
        assertThat(engine.snapshot().streamsIn()).isEqualTo(2);

        engine.subscribeAnswer("m1", "B", browserAnswer(offersTo("B").get(0).sdp()));
        String audioOnly = chromiumOffer("ua").replaceAll("(?s)m=video.*", "");
        engine.publish("m1", "A", "p-A", audioOnly, List.of(new TrackSpec("0", "audio", "microphone", false)), answers::add);
        Offer toB = offersTo("B").get(1);
        assertThat(toB.tracks()).as("A has no camera after all").extracting(RemoteTrack::source)
                .containsExactly(TrackSource.MICROPHONE);
        assertThat(SessionDescription.parse(toB.sdp()).media()).extracting(SessionDescription.Media::direction)
                .containsExactly(SessionDescription.Direction.SENDONLY, SessionDescription.Direction.INACTIVE);
    }

    @Test
    void shouldOfferAPublishersOwnCodecWhenTheExpectedSectionDoesNotListIt() throws Exception {
        engine.subscribe("m1", "A", "p-A");
        engine.subscribe("m1", "B", "p-B");
        engine.subscribeAnswer("m1", "A", browserAnswer(offersTo("A").get(0).sdp()));
        // B's browser offers only AV1 and H264 with packetization-mode 1 under a payload type of its own
        String offer = chromiumOffer("ub").replaceAll("m=video 9 UDP/TLS/RTP/SAVPF[^\r]*", "m=video 9 UDP/TLS/RTP/SAVPF 120")
                .replaceAll("(?s)(a=mid:1\r\n.*?a=rtcp-rsize\r\n).*", "$1a=rtpmap:120 H264/90000\r\n"
                        + "a=fmtp:120 packetization-mode=1;profile-level-id=42e01f\r\na=ssrc:2001 cname:x\r\n");
        engine.publish("m1", "B", "p-B", offer, List.of(), answers::add);
        assertThat(offersTo("A")).as("H264 is in the expected section: mapped, no new offer").hasSize(1);
        Consumer camera = engine.router("m1").bySocket.get("A").consumers[1];
        assertThat(camera.producer.codecs.get(0).payloadType()).isEqualTo(120);
        assertThat(camera.codecsFit()).isTrue();
    }

    @Test
    void shouldTellTheRoomTheCurrentSpeakerAgainWhenSomeoneJoinsSoTheNewcomerKnowsIt() throws Exception {
        // an engine that is not started: no speaker timer deciding behind the test's back
        MediaEngine quiet = new MediaEngine(MediaConfig.loopback(), DtlsCertificate.generate(), listener);
        try {
            quiet.subscribe("m1", "A", "p-A");
            assertThat(speakers).as("nobody has spoken").isEmpty();
            quiet.router("m1").speaker = "A"; // as the speaker timer decides it from A's audio levels
            quiet.subscribe("m1", "B", "p-B");
            assertThat(speakers).containsExactly("A");
        } finally {
            quiet.close();
        }
    }

    @Test
    void shouldRequireTheAnswerToCarryTheFingerprintAnnouncedWithTheSubscribe() throws Exception {
        engine.subscribe("m1", "A", "p-A", "ab:cd");       // the answer says AB:CD (case does not matter)
        engine.subscribe("m1", "C", "p-C", "EF:01");       // but C's answer will not say EF:01
        publish("B", "ub");
        engine.subscribeAnswer("m1", "A", browserAnswer(offersTo("A").get(0).sdp()));
        assertThatThrownBy(() -> engine.subscribeAnswer("m1", "C", browserAnswer(offersTo("C").get(0).sdp())))
                .isInstanceOf(SdpException.class).hasMessageContaining("fingerprint");
    }

    @Test
    void shouldRefuseBadOffersAndUnexpectedAnswersWithoutTouchingTheRoom() throws Exception {
        publish("A", "ua");
        assertThatThrownBy(() -> engine.publish("m1", "X", "p", "v=0\r\nnonsense", List.of(), answers::add))
                .isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> engine.subscribeAnswer("m1", "A", browserAnswer(chromiumOffer("zz"))))
                .isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> engine.subscribeAnswer("nope", "A", "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"))
                .isInstanceOf(MediaException.class);
        assertThat(engine.snapshot().participants()).isEqualTo(1);
        assertThat(answers).hasSize(1);
    }
}
