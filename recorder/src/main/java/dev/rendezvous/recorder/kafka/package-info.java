/**
 * The recorder's only contact with the Kafka client libraries:
 * {@link dev.rendezvous.recorder.kafka.RecorderKafka} (Reactor Kafka, discontinued upstream, kept behind this
 * one class).
 */
package dev.rendezvous.recorder.kafka;
