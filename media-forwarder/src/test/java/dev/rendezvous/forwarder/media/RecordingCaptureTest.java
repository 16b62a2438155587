package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recording tap at the packet level: what a recorded room's forwarded packets become. */
class RecordingCaptureTest {

    private PacketHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void recordsEveryForwardedPacketOfEachTrackInOrderDecryptedAndEndsEachTrackOnStop() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join();
        Client b = h.client("B").join();
        a.answer();
        b.answer();
        a.sendVideo(50, 0, true); // before the recording: not in it

        assertThat(h.engine.startRecording(PacketHarness.MEETING, "rec-1")).isTrue();
        assertThat(h.engine.startRecording(PacketHarness.MEETING, "rec-2")).as("one recording per room").isFalse();
        for (int i = 1; i <= 40; i++) {
            a.sendVideo(50 + i, 3000L * i, i % 20 == 0);
            a.sendAudio(700 + i, 960L * i);
        }
        assertThat(h.engine.stopRecording(PacketHarness.MEETING, "other")).isFalse();
        assertThat(h.engine.stopRecording(PacketHarness.MEETING, "rec-1")).isTrue();
        a.sendVideo(200, 999_000, false); // after the stop: not in it
        await(() -> lastChunks() == 3);

        CapturedChunk marker = h.chunks.get(h.chunks.size() - 1);
        assertThat(marker.isEnd()).as("the end marker comes after every track's last chunk").isTrue();
        assertThat(marker.recordingId()).isEqualTo("rec-1");
        assertThat(marker.last()).isTrue();
        assertThat(marker.packets()).isEmpty();
        assertThat(h.chunks).filteredOn(CapturedChunk::isEnd).hasSize(1);

        List<CapturedChunk> video = track(TrackKind.VIDEO);
        List<CapturedChunk> audio = track(TrackKind.AUDIO);
        assertThat(video.get(0).participantId()).isEqualTo("p-A");
        assertThat(video.get(0).source()).isEqualTo(TrackSource.CAMERA);
        assertThat(video.get(0).clockRate()).isEqualTo(90_000);
        assertThat(video.get(0).codecs()).containsEntry(PacketHarness.VP8, "VP8");
        assertThat(audio.get(0).source()).isEqualTo(TrackSource.MICROPHONE);
        assertThat(audio.get(0).codecs()).containsEntry(PacketHarness.OPUS, "opus");
        for (List<CapturedChunk> t : List.of(video, audio)) {
            assertThat(t).extracting(CapturedChunk::sequence).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, t.size()).boxed().toList());
            assertThat(t).filteredOn(CapturedChunk::last).hasSize(1);
            assertThat(t.get(t.size() - 1).last()).isTrue();
            assertThat(t).allSatisfy(c -> assertThat(c.recordingId()).isEqualTo("rec-1"));
        }
        List<byte[]> videoPackets = packets(video);
        assertThat(videoPackets).hasSize(40);
        for (int i = 1; i < videoPackets.size(); i++) {
            assertThat((Rtp.sequence(videoPackets.get(i), 0) - Rtp.sequence(videoPackets.get(i - 1), 0)) & 0xFFFF)
                    .as("producer-space sequence is continuous").isEqualTo(1);
        }
        assertThat(videoPackets.get(0)[12]).as("decrypted payload: the VP8 descriptor").isEqualTo((byte) 0x10);
        assertThat(videoPackets.get(0).length).as("no SRTP tag").isEqualTo(12 + 100);
        assertThat(packets(audio)).hasSize(40);
        long base = video.get(0).baseEpochMicros();
        assertThat(base).isCloseTo(System.currentTimeMillis() * 1000, org.assertj.core.data.Offset.offset(60_000_000L));
        int[] offsets = video.stream().flatMapToInt(c -> java.util.Arrays.stream(c.offsetsMicros())).toArray();
        assertThat(offsets).hasSize(40);
    }

    @Test
    void closingTheRoomEndsItsRecordingAndARoomWithoutPeopleCanStartOne() throws Exception {
        h = new PacketHarness();
        assertThat(h.engine.startRecording("empty-room", "rec-0")).isTrue();
        Client a = h.client("A").join();
        a.sendAudio(1, 0);
        assertThat(h.engine.startRecording(PacketHarness.MEETING, "rec-3")).isTrue();
        a.sendAudio(2, 960);
        h.engine.closeRoom(PacketHarness.MEETING);
        await(() -> lastChunks() >= 1);
        assertThat(h.chunks).filteredOn(CapturedChunk::last).extracting(CapturedChunk::recordingId).containsOnly("rec-3");
        assertThat(packets(track(TrackKind.AUDIO))).hasSize(1);
        assertThat(h.engine.startRecording(PacketHarness.MEETING, "rec-4")).as("the old recording is gone").isTrue();
        await(() -> h.chunks.stream().anyMatch(CapturedChunk::isEnd));
        assertThat(h.chunks).filteredOn(CapturedChunk::isEnd).extracting(CapturedChunk::recordingId)
                .as("the closed room's recording ended").containsExactly("rec-3");
    }

    @Test
    void aShutdownEndsTheTracksButSendsNoEndMarkerTheRoomMayGoOnElsewhere() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join();
        assertThat(h.engine.startRecording(PacketHarness.MEETING, "rec-5")).isTrue();
        a.sendAudio(1, 0);
        h.close(); // the packet went into the tap's ring synchronously; closing drains it

        List<CapturedChunk> chunks = List.copyOf(h.chunks);
        h = null;
        assertThat(chunks).filteredOn(CapturedChunk::last).extracting(CapturedChunk::recordingId).containsExactly("rec-5");
        assertThat(chunks).noneMatch(CapturedChunk::isEnd);
    }

    private long lastChunks() {
        return h.chunks.stream().filter(CapturedChunk::last).count();
    }

    private List<CapturedChunk> track(TrackKind kind) {
        return h.chunks.stream().filter(c -> c.kind() == kind).toList();
    }

    private static List<byte[]> packets(List<CapturedChunk> chunks) {
        List<byte[]> out = new ArrayList<>();
        chunks.forEach(c -> out.addAll(c.packets()));
        return out;
    }

    private static void await(BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(10)).until(condition::getAsBoolean);
    }
}
