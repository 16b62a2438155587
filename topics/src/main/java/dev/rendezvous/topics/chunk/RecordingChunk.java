package dev.rendezvous.topics.chunk;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record of {@code recording.chunk.captured} (key = recording id): up to about a second of one recorded
 * track's RTP packets, decrypted, in the forwarder's producer space (one continuous sequence and timestamp
 * space per track), in arrival order, with arrival times. Binary ({@link RecordingChunkCodec}): RTP is bytes
 * and a second of video is a few hundred packets.
 *
 * <p><b>End marker.</b> When a recording stops (stop request, or its room closed) the forwarder sends, after
 * every track's last chunk and on the same key (so after them on the partition), one chunk with
 * {@code trackId} = {@value #END_TRACK_ID}, {@code kind} = {@value #END_KIND}, no packets, {@code last} = true and
 * {@code baseEpochMicros} = when it stopped ({@link #isEnd()}). A participant leaving ends their tracks with
 * {@code last} chunks but sends no marker; a forwarder that shuts down or dies sends none either (the recorder
 * finishes such a recording after an idle time). The marker is not media.
 *
 * @param recordingId   the recording
 * @param meetingId     its meeting
 * @param forwarderId   the forwarder that captured it (a failover shows as a change)
 * @param trackId       the track within the recording (the forwarder's producer id: stable while it lives)
 * @param participantId who publishes it
 * @param source        what it is ({@code camera}, {@code screen}, {@code microphone})
 * @param kind          {@code audio} or {@code video}
 * @param clockRate     RTP clock rate of the track
 * @param codecs        payload type → codec name ({@code VP8}, {@code opus}, …)
 * @param sequence      chunk number within the track from this forwarder, from 0 (gaps = chunks lost)
 * @param last          the track's last chunk of this recording (stop, or the track ended)
 * @param baseEpochMicros wall-clock time of the first packet's arrival, µs since the epoch (0 when empty)
 * @param packets       the packets
 */
public record RecordingChunk(String recordingId, String meetingId, String forwarderId, long trackId,
                             String participantId, String source, String kind, int clockRate,
                             Map<Integer, String> codecs, long sequence, boolean last, long baseEpochMicros,
                             List<Packet> packets) {

    /** One RTP packet (header included) and its arrival, µs after {@code baseEpochMicros}. */
    public record Packet(int arrivalOffsetMicros, byte[] rtp) {
        public Packet {
            Objects.requireNonNull(rtp, "rtp");
        }
    }

    /** {@code trackId} of the end marker. */
    public static final long END_TRACK_ID = -1;
    /** {@code kind} of the end marker. */
    public static final String END_KIND = "end";

    public RecordingChunk {
        Objects.requireNonNull(recordingId, "recordingId");
        codecs = Map.copyOf(codecs);
        packets = List.copyOf(packets);
    }

    /** The recording's end marker: it stopped, every track's last chunk came before. */
    public boolean isEnd() {
        return trackId == END_TRACK_ID && END_KIND.equals(kind);
    }
}
