/**
 * Bandwidth estimation in the style of Google Congestion Control (draft-ietf-rmcat-gcc-02), for the forwarder's
 * downlinks: per-packet results of transport-wide congestion control feedback (send time, arrival time or lost,
 * size) go into a {@link dev.rendezvous.forwarder.media.bwe.DownlinkEstimator}, which gives a target bitrate.
 *
 * <p>The parts, each a small pure class: {@link dev.rendezvous.forwarder.media.bwe.ArrivalGroups} (packets sent
 * within 5 ms form a group; the change of one-way delay between groups), {@link
 * dev.rendezvous.forwarder.media.bwe.TrendlineFilter} (slope of the accumulated delay change over a window),
 * {@link dev.rendezvous.forwarder.media.bwe.OveruseDetector} (the slope against an adaptive threshold), {@link
 * dev.rendezvous.forwarder.media.bwe.AimdRateController} (additive or multiplicative increase, decrease to 85%
 * of what was acknowledged), {@link dev.rendezvous.forwarder.media.bwe.AckedBitrate} (the receive rate the
 * feedback shows) and {@link dev.rendezvous.forwarder.media.bwe.LossBasedBound} (an upper bound from the loss
 * fraction). {@link dev.rendezvous.forwarder.media.bwe.SendHistory} keeps send times by transport-wide sequence
 * number. Times are microseconds on the caller's clock, rates bits per second. Nothing is allocated per
 * packet; not thread-safe (one estimator per transport, used by one thread at a time).
 */
package dev.rendezvous.forwarder.media.bwe;
