/**
 * The composition root of the recorder: typed configuration ({@code rendezvous.*}, documented in the
 * reference {@code application.yml}), the wiring of the chunk consumer and its sink, start order, health.
 * The only package that knows Spring.
 */
package dev.rendezvous.recorder.config;
