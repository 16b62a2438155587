/**
 * The binary record of {@code recording.chunk.captured}: {@link dev.rendezvous.topics.chunk.RecordingChunk}
 * and its codec, shared by the forwarder (writer) and the recorder (reader).
 */
package dev.rendezvous.topics.chunk;
