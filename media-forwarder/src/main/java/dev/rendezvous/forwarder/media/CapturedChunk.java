package dev.rendezvous.forwarder.media;

import java.util.List;
import java.util.Map;

/**
 * Up to about a second of one recorded track, as the recording thread hands it out (the Kafka adapter turns it
 * into a {@code recording.chunk.captured} record): decrypted RTP in producer space, in arrival order.
 *
 * <p>{@link #end} makes the recording's end marker (track {@value #END_TRACK}, no kind, no packets, last): the
 * recording stopped, after every track's last chunk.
 *
 * @param sequence        chunk number of this track in this recording, from 0
 * @param last            the track's last chunk (the recording stopped or the track closed)
 * @param baseEpochMicros wall-clock arrival of the first packet, µs since the epoch (0 when there is none)
 * @param offsetsMicros   each packet's arrival, µs after {@code baseEpochMicros}
 */
public record CapturedChunk(String recordingId, String meetingId, long trackId, String participantId,
                            TrackSource source, TrackKind kind, int clockRate, Map<Integer, String> codecs,
                            long sequence, boolean last, long baseEpochMicros, int[] offsetsMicros,
                            List<byte[]> packets) {

    /** The track id of the end marker (producer ids are never negative). */
    public static final long END_TRACK = -1;

    public CapturedChunk {
        codecs = Map.copyOf(codecs);
        packets = List.copyOf(packets);
    }

    /** The end marker of {@code recordingId}: the recording stopped; {@code atEpochMicros} is when. */
    public static CapturedChunk end(String recordingId, String meetingId, long atEpochMicros) {
        return new CapturedChunk(recordingId, meetingId, END_TRACK, "", null, null, 0, Map.of(), 0, true,
                atEpochMicros, new int[0], List.of());
    }

    /** This is the recording's end marker, not media. */
    public boolean isEnd() {
        return trackId == END_TRACK;
    }
}
