/**
 * Value types of the topic catalogue. Plain records, serialised as JSON a person can read in
 * {@code kafka-console-consumer}; unknown fields are ignored on read so that producers can add fields first.
 */
package dev.rendezvous.topics.model;
