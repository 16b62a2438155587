/**
 * The recordings' metadata: {@code recording.control.requested} and {@code recording.file.stored} → PostgreSQL
 * {@code recordings} and {@code recording_files} (two {@link dev.rendezvous.streams.persist.StorePipeline}s), which the
 * gateways read to list a meeting's recordings with their links.
 */
package dev.rendezvous.streams.recordingstore;
