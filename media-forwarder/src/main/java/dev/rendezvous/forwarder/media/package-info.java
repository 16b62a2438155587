/**
 * The boundary of the forwarder's packet path (ICE-lite, DTLS-SRTP, RTP/RTCP forwarding), which arrives
 * with the SFU issue.
 *
 * <p>Rule, enforced by {@code MediaPackageIsolationTest}: nothing in this package (and nothing the packet
 * path will be built from) imports Kafka, Spring, Reactor, Jackson/JSON or the topic catalogue. The hot path
 * works on pooled byte buffers and plain Java values; the control side (packages {@code metrics},
 * {@code command}, {@code kafka}, {@code config}) talks to it only through small interfaces declared here:
 * today {@link dev.rendezvous.forwarder.media.ForwarderStats}, which the metrics publisher reads once per
 * interval from its own thread. Commands reach the packet path through
 * {@code command.ForwarderCommandHandler}, whose SFU implementation translates catalogue records into plain
 * calls on interfaces of this package.
 */
package dev.rendezvous.forwarder.media;
