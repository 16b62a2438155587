/**
 * Persistence of accepted chat messages: a reactive pipeline outside the Kafka Streams topology that reads
 * {@code chat.message.accepted}, inserts batches into PostgreSQL idempotently, and acknowledges the Kafka
 * offsets only after the insert succeeded. Reactor Kafka (discontinued upstream) is confined to
 * {@link dev.rendezvous.streams.chatstore.ReactorKafkaBatchSource}; the pipeline sees only
 * {@link dev.rendezvous.streams.chatstore.AcknowledgingSource}.
 */
package dev.rendezvous.streams.chatstore;
