/**
 * Topics → PostgreSQL tables, outside the Kafka Streams topology: {@link dev.rendezvous.streams.persist.StorePipeline}
 * writes each batch idempotently and acknowledges the Kafka offsets only after the write succeeded. Reactor Kafka
 * (discontinued upstream) is confined to {@link dev.rendezvous.streams.persist.ReactorKafkaBatchSource}; the pipeline
 * sees only {@link dev.rendezvous.streams.persist.AcknowledgingSource}. Used by the chat history ({@code chatstore})
 * and the recordings' metadata ({@code recordingstore}).
 */
package dev.rendezvous.streams.persist;
