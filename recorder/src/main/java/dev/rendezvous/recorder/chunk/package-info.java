/**
 * Where chunks go once read from Kafka: a {@link dev.rendezvous.recorder.chunk.ChunkSink}. Today
 * {@link dev.rendezvous.recorder.chunk.CountingChunkSink}; the recording issue's sink assembles files and
 * uploads them. Nothing here knows Kafka or Spring.
 */
package dev.rendezvous.recorder.chunk;
