package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.command.SfuCommandHandler;
import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host's mute and remove as the forwarder receives them: the commands the room processor emits
 * (stream-apps {@code Moderation}, part of {@code HostActions}), through {@link SfuCommandHandler}, down to the
 * packets. A host mute names the producer by source (no mid: the processor does not know the client's mids) and must
 * stop that producer at once; a removal is a DISCONNECT and must drop the peer and everything it sends.
 */
class HostCommandsPacketTest {

    private PacketHarness h;
    private final List<ForwarderEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private SfuCommandHandler handler() {
        SfuCommandHandler handler = new SfuCommandHandler("fwd-1", events::add, Clock.systemUTC());
        handler.attach(h.engine);
        return handler;
    }

    private static ForwarderCommand command(String socket, ForwarderCommand.Kind kind, MediaSignal signal) {
        return new ForwarderCommand("fwd-1", PacketHarness.MEETING, socket, "p-" + socket, kind, signal, Instant.now());
    }

    /** The TRACK_UPDATE a host mute becomes: the producers of those sources, muted, whatever their mid. */
    private static MediaSignal hostMute(String socket, boolean audio, boolean video) {
        List<MediaTrack> tracks = new java.util.ArrayList<>();
        if (audio) {
            tracks.add(new MediaTrack(null, socket, "p-" + socket, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true));
        }
        if (video) {
            tracks.add(new MediaTrack(null, socket, "p-" + socket, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, true));
        }
        return MediaSignal.trackUpdate(tracks);
    }

    @Test
    void shouldStopForwardingTheMutedProducerOnlyWhenTheHostMutesItsSource() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join();
        Client b = h.client("B").join();
        a.answer();
        b.answer();
        SfuCommandHandler handler = handler();
        long audioAtB = b.offeredSsrc("A", TrackKind.AUDIO);
        long videoAtB = b.offeredSsrc("A", TrackKind.VIDEO);
        a.sendAudio(1, 0);
        a.sendVideo(1, 0, true);
        assertThat(b.receivedRtp()).extracting(p -> dev.rendezvous.forwarder.media.rtp.Rtp.ssrc(p, 0))
                .containsExactly(audioAtB, videoAtB);

        handler.handle(command("A", ForwarderCommand.Kind.TRACK_UPDATE, hostMute("A", true, false)));
        for (int i = 2; i < 6; i++) {
            a.sendAudio(i, 960L * i);
            a.sendVideo(i, 3000L * i, false);
        }
        List<Long> ssrcs = b.receivedRtp().stream().map(p -> dev.rendezvous.forwarder.media.rtp.Rtp.ssrc(p, 0)).toList();
        assertThat(ssrcs.stream().filter(s -> s == audioAtB)).as("A's microphone is no longer forwarded").isEmpty();
        assertThat(ssrcs.stream().filter(s -> s == videoAtB)).as("A's camera still is").hasSize(4);
        assertThat(h.stage("track", "muted")).isEqualTo(4);
        assertThat(events).as("a mute is not an error").isEmpty();
    }

    @Test
    void shouldDropAllOfARemovedPeersMediaAtOnceAndRenegotiateTheOthers() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join();
        Client b = h.client("B").join();
        a.answer();
        b.answer();
        SfuCommandHandler handler = handler();
        int offersBefore = h.offers.size();
        a.sendVideo(1, 0, true);
        assertThat(b.receivedRtp()).hasSize(1);

        handler.handle(command("A", ForwarderCommand.Kind.DISCONNECT, null));

        assertThat(h.engine.router(PacketHarness.MEETING).bySocket).doesNotContainKey("A").containsKey("B");
        long forwardedBefore = h.stage("track", "forwarded");
        a.sendVideo(2, 3000, false);
        a.sendAudio(2, 960);
        assertThat(b.receivedRtp()).as("nothing of A reaches B any more").isEmpty();
        assertThat(h.stage("track", "forwarded")).isEqualTo(forwardedBefore);
        assertThat(h.offers.subList(offersBefore, h.offers.size()))
                .as("B is offered a subscribe description without A's tracks")
                .anySatisfy(o -> {
                    assertThat(o.socketId()).isEqualTo("B");
                    assertThat(o.tracks()).noneMatch(t -> "A".equals(t.socketId()));
                });
    }
}
