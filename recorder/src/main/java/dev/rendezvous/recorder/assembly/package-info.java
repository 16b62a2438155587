/**
 * Chunks to files: {@link dev.rendezvous.recorder.assembly.RecordingAssembler} (the {@code ChunkSink}) keeps a
 * {@code ParticipantFile} per participant and source, each of whose tracks becomes timed blocks
 * ({@code TrackTimeline}: reorder, depacketise, place in time by arrival and RTP timestamps), merged in time
 * order ({@code BlockInterleaver}) into a WebM writer over a {@link dev.rendezvous.recorder.assembly.FileStore}.
 */
package dev.rendezvous.recorder.assembly;
