/**
 * The composition root of media-forwarder: typed configuration ({@code rendezvous.*}, documented in the
 * reference {@code application.yml}), the wiring of the metrics publisher, the command intake and the Kafka
 * adapter, their start order and their health. The only package that knows Spring.
 */
package dev.rendezvous.forwarder.config;
