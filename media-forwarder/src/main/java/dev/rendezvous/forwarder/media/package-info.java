/**
 * The forwarder's media plane: the object model (Router → Peer → Transport, Producer, Consumer), the
 * negotiators that change it, and the packet path that reads it (ICE-lite, DTLS-SRTP, RTP/RTCP forwarding).
 * "A map of the forwarder" in ARCHITECTURE.md lists the classes.
 *
 * <p>Rule, enforced by {@code MediaPackageIsolationTest}: nothing in this package (or its sub-packages
 * {@code stun}, {@code dtls}, {@code srtp}, {@code rtp}, {@code bwe}, {@code tcp}) imports Kafka, Spring, Reactor, Jackson/JSON or the topic
 * catalogue. The hot path works on reused byte buffers and plain Java values. The control side (packages
 * {@code command}, {@code kafka}, {@code metrics}, {@code config}) talks to it only through {@link
 * dev.rendezvous.forwarder.media.MediaEngine}'s methods, {@link dev.rendezvous.forwarder.media.MediaListener}
 * and {@link dev.rendezvous.forwarder.media.ForwarderStats}; datagrams come and go through {@link
 * dev.rendezvous.forwarder.media.PacketIo}, the seam packet-level tests drive.
 */
package dev.rendezvous.forwarder.media;
