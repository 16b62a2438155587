package dev.rendezvous.recorder.chunk;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of {@code recording.chunk.captured}: a batch of RTP packets a forwarder copied from a recorded
 * room. {@code partition}/{@code offset} identify it uniquely, so a sink can drop a chunk it already wrote
 * when one is delivered again (at-least-once).
 *
 * @param recordingId the record key
 * @param data        the record value, as the forwarder wrote it (not copied: do not modify)
 * @param partition   Kafka partition
 * @param offset      Kafka offset within the partition
 * @param timestamp   the record's timestamp (when the forwarder produced it)
 */
public record Chunk(String recordingId, byte[] data, int partition, long offset, Instant timestamp) {

    public Chunk {
        Objects.requireNonNull(recordingId, "recordingId");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    public int size() {
        return data.length;
    }

    @Override
    public String toString() {
        return "Chunk[" + recordingId + ", " + data.length + " bytes, " + partition + "@" + offset + "]";
    }
}
