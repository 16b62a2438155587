package dev.rendezvous.recorder.chunk;

import reactor.core.publisher.Mono;

/**
 * Takes the chunks of every recording: <b>the entry point of the recording issue</b>, whose implementation
 * appends each chunk to its recording's file and uploads finished files to S3.
 *
 * <p>Contract: chunks of one partition arrive one at a time, in offset order (so chunks of one recording are
 * in the order the forwarder wrote them). The returned {@code Mono} completes when the sink has the chunk; only
 * then may its offset be committed, so after a crash chunks after the last commit are delivered again — use
 * {@code (partition, offset)} to recognise them. An error stops consumption; the consumer is restarted and
 * resumes from the last committed offset.
 *
 * <p>What "safely kept" means is the sink's business: a sink that keeps chunks in memory until a file is complete
 * holds the partition's committed offset back itself ({@code kafka.PartitionHolds}). When a partition is taken
 * away (rebalance, or the consumer restarts) {@link #partitionDropped} is called on the consumer's thread before
 * any other consumer can read it: what the sink kept of it must be dropped, since its chunks will be delivered
 * again from the committed offset.
 */
@FunctionalInterface
public interface ChunkSink {

    Mono<Void> accept(Chunk chunk);

    /** {@code partition} is no longer consumed here; by default nothing is kept per partition. */
    default void partitionDropped(int partition) {
    }
}
