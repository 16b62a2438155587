/**
 * The room processor: one Kafka Streams task per room partition sees a room's joins, leaves and chat
 * messages in order, keeps the room's members and chat sequence in changelog-backed stores, and emits
 * deliveries addressed to the gateways that hold the recipients' sockets.
 *
 * <p>{@link dev.rendezvous.streams.room.RoomTopology#build} is a pure function of its configuration: no
 * Spring, no I/O; it is tested with {@code TopologyTestDriver}.
 */
package dev.rendezvous.streams.room;
