/**
 * The room processor: one Kafka Streams task per room partition sees a room's joins, leaves, chat
 * messages, media signals and forwarder events in order, keeps the room's members, chat sequence and media
 * placement in changelog-backed stores, emits deliveries addressed to the gateways that hold the
 * recipients' sockets, and commands to the room's media forwarder.
 *
 * <p>{@link dev.rendezvous.streams.room.RoomTopology#build} is a pure function of its configuration: no
 * Spring, no I/O; it is tested with {@code TopologyTestDriver}.
 */
package dev.rendezvous.streams.room;
