/**
 * The forwarder's once-a-second report: {@link dev.rendezvous.forwarder.metrics.MetricsSnapshotBuilder}
 * turns the packet path's {@code ForwarderStats} and the process CPU load into a {@code ForwarderMetrics}
 * record; {@link dev.rendezvous.forwarder.metrics.MetricsPublisher} sends one per interval and knows whether
 * publishing works (health). Placement in stream-apps turns these records into weights and penalties, and
 * treats a forwarder whose records stop as unhealthy.
 */
package dev.rendezvous.forwarder.metrics;
