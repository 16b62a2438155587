/**
 * The media forwarder (SFU). Today it is a real process on the control side only: it provisions the
 * topics, publishes its load once a second on {@code forwarder.metrics.reported} (feeding placement) and
 * takes the commands addressed to it from {@code forwarder.command.issued}. The packet path arrives with
 * the SFU issue.
 *
 * <p>Packages, dependencies pointing one way:
 * <ul>
 *   <li>{@code media} — the boundary of the future packet path; knows nothing of Kafka, Spring or JSON.</li>
 *   <li>{@code metrics} — builds and publishes {@code ForwarderMetrics} from {@code media.ForwarderStats}.</li>
 *   <li>{@code command} — filters the commands addressed to this forwarder and hands them to a
 *       {@code ForwarderCommandHandler} (the SFU issue's entry point).</li>
 *   <li>{@code kafka} — the one adapter over the Kafka clients (Reactor Kafka, Admin).</li>
 *   <li>{@code config} — the composition root; the only package that knows Spring.</li>
 * </ul>
 */
package dev.rendezvous.forwarder;
