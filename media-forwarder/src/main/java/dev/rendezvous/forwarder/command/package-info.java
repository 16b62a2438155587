/**
 * Orders from stream-apps ({@code forwarder.command.issued}, key = forwarder id).
 * {@link dev.rendezvous.forwarder.command.CommandIntake} keeps only the records keyed with this forwarder's
 * id and passes them to a {@link dev.rendezvous.forwarder.command.ForwarderCommandHandler}:
 * {@link dev.rendezvous.forwarder.command.SfuCommandHandler}, which turns them into calls on the media engine
 * and turns what the engine reports into {@code forwarder.event.emitted} records.
 */
package dev.rendezvous.forwarder.command;
