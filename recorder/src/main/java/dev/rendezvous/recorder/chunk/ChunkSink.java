package dev.rendezvous.recorder.chunk;

import reactor.core.publisher.Mono;

/**
 * Takes the chunks of every recording: <b>the entry point of the recording issue</b>, whose implementation
 * appends each chunk to its recording's file and uploads finished files to S3.
 *
 * <p>Contract: chunks of one partition arrive one at a time, in offset order (so chunks of one recording are
 * in the order the forwarder wrote them). The returned {@code Mono} completes when the chunk is safely kept;
 * only then is its offset committed, so after a crash chunks after the last commit are delivered again — use
 * {@code (partition, offset)} to recognise them. An error stops consumption; the consumer is restarted and
 * resumes from the last committed offset.
 */
@FunctionalInterface
public interface ChunkSink {

    Mono<Void> accept(Chunk chunk);
}
