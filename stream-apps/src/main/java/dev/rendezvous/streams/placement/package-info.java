/**
 * Where a room's media goes: weighted rendezvous hashing (HRW) of rooms onto media forwarders, with
 * weights and penalties from the forwarders' live metrics. Pure functions of their inputs (no Kafka, no
 * clock, no randomness), so every stream-apps instance, and every replay, picks the same hosts.
 *
 * <ul>
 *   <li>{@link dev.rendezvous.streams.placement.WeightedRendezvous}: the hash, the score and the k best of a
 *       flat list of hosts (O(n) per placement).</li>
 *   <li>{@link dev.rendezvous.streams.placement.ForwarderWeight}: a forwarder's weight (free capacity ×
 *       quality penalty) and health from its latest {@code ForwarderMetrics}.</li>
 *   <li>{@link dev.rendezvous.streams.placement.PlacementPolicy}: the two together, as the room processor
 *       uses them.</li>
 *   <li>{@link dev.rendezvous.streams.placement.SkeletonRendezvous}: the variant for large fleets (virtual
 *       tree, O(b·log_b n)).</li>
 * </ul>
 */
package dev.rendezvous.streams.placement;
