/**
 * Persistence of accepted chat messages: a reactive pipeline outside the Kafka Streams topology that reads
 * {@code chat.message.accepted}, inserts batches into PostgreSQL idempotently, and acknowledges the Kafka
 * offsets only after the insert succeeded (a {@link dev.rendezvous.streams.persist.StorePipeline}).
 */
package dev.rendezvous.streams.chatstore;
