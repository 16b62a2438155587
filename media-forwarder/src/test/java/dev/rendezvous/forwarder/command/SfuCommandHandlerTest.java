package dev.rendezvous.forwarder.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.MediaConfig;
import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.forwarder.media.TileSpec;
import dev.rendezvous.forwarder.media.TrackSource;
import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.TileView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands other than OFFER, and what the engine refuses, become events for the socket — never exceptions. */
class SfuCommandHandlerTest {

    private final List<ForwarderEvent> events = new CopyOnWriteArrayList<>();
    private final SfuCommandHandler handler = new SfuCommandHandler("f1", events::add, Clock.systemUTC());
    private MediaEngine engine;

    @BeforeEach
    void start() throws Exception {
        MediaConfig c = MediaConfig.loopback();
        engine = new MediaEngine(new MediaConfig(c.advertisedAddress(), c.bindAddress(), 0, c.consentTimeout(),
                c.maxBitrateBps(), c.dtlsTimeout(), 2, 2, Duration.ofSeconds(10)), DtlsCertificate.generate(), handler);
        engine.start();
        handler.attach(engine);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private ForwarderCommand command(String socket, ForwarderCommand.Kind kind, MediaSignal signal) {
        return new ForwarderCommand("f1", "m1", socket, "p-" + socket, kind, signal, Instant.now());
    }

    private List<ForwarderEvent> errorsFor(String socket) {
        return events.stream().filter(e -> e.kind() == ForwarderEvent.Kind.ERROR && socket.equals(e.socketId())).toList();
    }

    @Test
    void shouldOfferTheOthersExpectedTracksWhenASocketSubscribes() {
        handler.handle(command("A", ForwarderCommand.Kind.SUBSCRIBE, MediaSignal.subscribe(null)));
        handler.handle(command("B", ForwarderCommand.Kind.SUBSCRIBE, MediaSignal.subscribe(null)));
        ForwarderEvent offer = events.stream().filter(e -> e.kind() == ForwarderEvent.Kind.OFFER && "B".equals(e.socketId()))
                .findFirst().orElseThrow();
        assertThat(offer.signal().tracks()).extracting(t -> t.kind().name()).containsExactly("AUDIO", "VIDEO");
        assertThat(offer.signal().tracks()).extracting(t -> t.source().name()).containsExactly("MICROPHONE", "CAMERA");
    }

    @Test
    void shouldTurnRefusalsIntoErrorEventsForTheSocket() {
        handler.handle(command("A", ForwarderCommand.Kind.ANSWER, MediaSignal.answer(MediaSignal.Pc.SUBSCRIBE, "v=0\r\n")));
        handler.handle(command("A", ForwarderCommand.Kind.ANSWER, MediaSignal.answer(MediaSignal.Pc.SUBSCRIBE,
                "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n")));
        assertThat(errorsFor("A")).extracting(e -> e.signal().error()).containsExactly("bad_answer", "not_connected");
        events.clear();

        handler.handle(command("A", ForwarderCommand.Kind.SUBSCRIBE, MediaSignal.subscribe(null)));
        handler.handle(command("B", ForwarderCommand.Kind.SUBSCRIBE, MediaSignal.subscribe(null)));
        handler.handle(command("C", ForwarderCommand.Kind.SUBSCRIBE, MediaSignal.subscribe(null)));
        assertThat(errorsFor("C")).extracting(e -> e.signal().error()).containsExactly("room_full");

        handler.handle(command("D", ForwarderCommand.Kind.SUBSCRIBE, null));
        handler.handle(new ForwarderCommand("f1", "m2", "D", "p-D", ForwarderCommand.Kind.SUBSCRIBE, null, Instant.now()));
        assertThat(errorsFor("D")).extracting(e -> e.signal().error()).containsExactly("room_full", "capacity");
    }

    @Test
    void shouldTellThePageToStartOverWhenItsSubscribeSideWasAbandoned() {
        handler.subscribeAbandoned("m1", "A");
        assertThat(errorsFor("A")).singleElement().satisfies(e -> {
            assertThat(e.signal().error()).isEqualTo("subscribe_timeout");
            assertThat(e.signal().pc()).isEqualTo(MediaSignal.Pc.SUBSCRIBE);
        });
    }

    @Test
    void shouldPassATileViewToTheEngineAsTileSpecsAndNeverFailOnOne() {
        List<TileView> view = java.util.Arrays.asList(TileView.shown("B", MediaTrack.Source.CAMERA, 320, 180),
                TileView.hidden("B", MediaTrack.Source.SCREEN),
                new TileView("B", MediaTrack.Source.MICROPHONE, TileView.Visibility.SHOWN, 1, 1),
                new TileView(null, MediaTrack.Source.CAMERA, TileView.Visibility.SHOWN, 1, 1), null,
                new TileView("C", MediaTrack.Source.CAMERA, null, 5, 5));
        assertThat(SfuCommandHandler.tiles(view)).containsExactly(
                new TileSpec("B", TrackSource.CAMERA, false, 320, 180), new TileSpec("B", TrackSource.SCREEN, true, 0, 0),
                new TileSpec("C", TrackSource.CAMERA, true, 0, 0));
        assertThat(SfuCommandHandler.tiles(null)).isEmpty();

        // for a room or socket the forwarder does not hold: nothing happens, nothing is emitted
        handler.handle(command("A", ForwarderCommand.Kind.TILE_VIEW, MediaSignal.tileView(view.subList(0, 2))));
        handler.handle(command("A", ForwarderCommand.Kind.TILE_VIEW, null));
        assertThat(events).isEmpty();
    }

    @Test
    void shouldTurnAPagesStatsIntoAMediaStatsEventForThatSocket() {
        handler.pageStats("m", "A", new dev.rendezvous.forwarder.media.PageStats(1_200_000, true, 0.05, 40,
                List.of(new dev.rendezvous.forwarder.media.PageStats.Track("B", TrackSource.CAMERA,
                        dev.rendezvous.forwarder.media.PageStats.State.FORWARDING, 1, 0, 3, 640, 450_000))));
        assertThat(events).hasSize(1);
        ForwarderEvent e = events.get(0);
        assertThat(e.kind()).isEqualTo(ForwarderEvent.Kind.MEDIA_STATS);
        assertThat(e.socketId()).isEqualTo("A");
        assertThat(e.signal().stats()).isEqualTo(new dev.rendezvous.topics.model.MediaStats(1_200_000, true, 0.05, 40,
                List.of(new dev.rendezvous.topics.model.MediaStats.TrackStats("B", MediaTrack.Source.CAMERA,
                        dev.rendezvous.topics.model.MediaStats.State.FORWARDING, 1, 0, 3, 640, 450_000))));

        // a stats request for a room or socket the forwarder does not hold changes nothing
        handler.handle(command("A", ForwarderCommand.Kind.STATS_START, null));
        handler.handle(command("A", ForwarderCommand.Kind.STATS_STOP, null));
        assertThat(events).hasSize(1);
    }
}
