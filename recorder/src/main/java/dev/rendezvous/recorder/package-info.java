/**
 * The recorder: consumes the binary chunks the forwarders copy from recorded rooms
 * ({@code recording.chunk.captured}, key = recording id) in consumer group {@code rendezvous-recorder}.
 * Today it counts them per recording; the recording issue assembles playable files, uploads them to S3
 * (multipart, resumable) and announces them on {@code recording.file.stored}.
 *
 * <p>Packages: {@code chunk} (the {@code ChunkSink} the recording issue implements), {@code rtp} (one track's
 * packets back in order, VP8 frames out of RTP), {@code webm} (a forward-only WebM writer), {@code kafka} (the
 * one Kafka adapter), {@code config} (composition root, the only package that knows Spring).
 */
package dev.rendezvous.recorder;
