/**
 * The media load tool's parts ({@code dev.rendezvous.loadtest.MediaLoad} is its entry point): options and
 * scenarios, the two signaling paths (a running stack's gateway, an in-process engine), the forwarder's figures
 * (Prometheus text or the engine), one run's measurement, and the markdown report and PNG chart it writes.
 */
package dev.rendezvous.loadtest.media;
