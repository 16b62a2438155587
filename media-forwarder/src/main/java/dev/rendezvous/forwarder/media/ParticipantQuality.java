package dev.rendezvous.forwarder.media;

/**
 * One participant's (one socket's) media quality over the last sample interval, as this forwarder saw it.
 *
 * @param bitrateInBps  bits per second of the media it sent (its sources, all layers)
 * @param bitrateOutBps bits per second of the sources forwarded to it (as they came in: for a simulcast source the
 *                      layers received, an upper bound of the one forwarded)
 * @param lossRatio     the worse of inbound loss on its sources and the loss its receiver reports tell, 0..1
 * @param rttMs         mean round-trip time from its receiver reports (0 while unknown)
 * @param jitterMs      mean inbound interarrival jitter of its sources
 * @param layer         the highest simulcast layer (0 = lowest) it receives now over the simulcast tracks forwarded to
 *                      it; -1 when it receives none
 */
public record ParticipantQuality(String meetingId, String socketId, String participantId, double bitrateInBps,
                                 double bitrateOutBps, double lossRatio, double rttMs, double jitterMs, int layer) {}
