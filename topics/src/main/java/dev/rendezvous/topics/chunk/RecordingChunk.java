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

    public RecordingChunk {
        Objects.requireNonNull(recordingId, "recordingId");
        codecs = Map.copyOf(codecs);
        packets = List.copyOf(packets);
    }
}
