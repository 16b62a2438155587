/** The gateway's one door to Kafka ({@link dev.rendezvous.gateway.kafka.EventBus}) and its Reactor Kafka adapter. */
package dev.rendezvous.gateway.kafka;
