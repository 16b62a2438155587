/**
 * The forwarder's only contact with the Kafka client libraries:
 * {@link dev.rendezvous.forwarder.kafka.ForwarderKafka}. Reactor Kafka is discontinued upstream (last
 * release 1.3.25); keeping it behind this one class means replacing it touches nothing else.
 */
package dev.rendezvous.forwarder.kafka;
