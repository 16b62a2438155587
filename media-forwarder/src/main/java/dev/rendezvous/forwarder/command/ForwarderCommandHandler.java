package dev.rendezvous.forwarder.command;

import dev.rendezvous.topics.model.ForwarderCommand;

/**
 * Where the commands addressed to this forwarder go: <b>the entry point of the SFU issue</b>. Its
 * implementation will turn {@code OFFER} into an SDP answer, {@code CANDIDATE}/{@code TRACK_UPDATE} into
 * changes of a participant's connection, {@code DISCONNECT}/{@code CLOSE_ROOM} into teardown and
 * {@code RECORD_START}/{@code RECORD_STOP} into copying a room's RTP to the chunk topic, by calling plain
 * interfaces of the {@code media} package (which never sees a {@link ForwarderCommand}).
 *
 * <p>Called on the Kafka consumer's thread, one command at a time, in the order stream-apps issued them
 * for this forwarder. It must not block: hand work to the media plane's own threads. An exception is
 * logged and counted, and the next command is handled.
 */
@FunctionalInterface
public interface ForwarderCommandHandler {

    void handle(ForwarderCommand command);
}
