/**
 * The composition root of stream-apps: typed configuration ({@code rendezvous.*}, documented in the
 * reference {@code application.yml}), the Kafka Streams runtime and its health, the chat persistence
 * pipeline's wiring, metrics. The only package that knows Spring.
 */
package dev.rendezvous.streams.config;
