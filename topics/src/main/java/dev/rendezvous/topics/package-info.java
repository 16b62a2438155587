/**
 * The Kafka contract of Rendezvous: the topic catalogue ({@link dev.rendezvous.topics.Topics}), serdes, the
 * provisioner and the generated docs. Depends on no other module of the project.
 */
package dev.rendezvous.topics;
