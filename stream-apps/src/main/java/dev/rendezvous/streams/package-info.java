/**
 * Rendezvous stream-apps: the Kafka Streams room processor (membership, chat ordering, media signaling and
 * placement of rooms on forwarders ({@code placement}), fan-out of deliveries to gateways) and the reactive chat persistence pipeline (Reactor Kafka → R2DBC PostgreSQL).
 *
 * <p>Dependencies point one way: {@code room}, {@code placement} and {@code chatstore} know nothing of Spring; {@code config}
 * is the composition root that wires them to configuration, Kafka, PostgreSQL and the actuator.
 */
package dev.rendezvous.streams;
