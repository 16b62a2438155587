/**
 * Orders from stream-apps ({@code forwarder.command.issued}, key = forwarder id).
 * {@link dev.rendezvous.forwarder.command.CommandIntake} keeps only the records keyed with this forwarder's
 * id and passes them to a {@link dev.rendezvous.forwarder.command.ForwarderCommandHandler}: today
 * {@link dev.rendezvous.forwarder.command.LoggingCommandHandler}; with the SFU issue, the implementation that
 * drives the packet path.
 */
package dev.rendezvous.forwarder.command;
