package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.StageCounters.Counter;
import dev.rendezvous.forwarder.media.srtp.SrtpResult;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packet path's counters in one place, created once with the engine: each stage class increments the ones
 * of its stage (one {@link LongAdder} increment, no look-up). Names are {@code stage,outcome} as on
 * {@code /actuator/prometheus}; see {@code docs/protocol.md} for what each means.
 *
 * <p>Every datagram received ends in exactly one <em>terminal</em> outcome ({@link #TERMINAL}): passed on
 * ({@code ice,answered}, {@code dtls,passed}, {@code track,forwarded}, {@code rtcp,processed}) or dropped for a
 * named reason. The fuzz test holds the path to that: their sum equals the datagrams received.
 */
final class PathCounters {

    final StageCounters stages = new StageCounters();
    final LongAdder packetsIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder packetsOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();

    final Counter demuxUnknown = stages.counter("demux", "unknown");
    final Counter iceAnswered = stages.counter("ice", "answered");
    final Counter iceDropped = stages.counter("ice", "dropped");
    final Counter iceCandidate = stages.counter("ice", "candidate_address");
    final Counter iceMoved = stages.counter("ice", "address_confirmed");
    final Counter dtlsPassed = stages.counter("dtls", "passed");
    final Counter dtlsNoSession = stages.counter("dtls", "no_session");
    final Counter dtlsUnknownSource = stages.counter("dtls", "unknown_source");
    final Counter srtpUnknownSource = stages.counter("srtp-decrypt", "unknown_source");
    final Counter srtpNotReady = stages.counter("srtp-decrypt", "not_ready");
    final Counter srtpAuthFailed = stages.counter("srtp-decrypt", "auth_failed");
    final Counter srtpReplay = stages.counter("srtp-decrypt", "replay");
    final Counter srtpMalformed = stages.counter("srtp-decrypt", "malformed");
    final Counter rtpMalformed = stages.counter("rtp-parse", "malformed");
    final Counter rtpFromSubscriber = stages.counter("rtp-parse", "from_subscriber");
    final Counter trackUnknownSsrc = stages.counter("track", "unknown_ssrc");
    final Counter trackMuted = stages.counter("track", "muted");
    final Counter rewriteTooOld = stages.counter("rewrite", "too_old");
    /** An inbound RTP packet reached the fan-out (however many consumers it then went to). */
    final Counter trackForwarded = stages.counter("track", "forwarded");
    final Counter fanOutSent = stages.counter("fan-out", "sent");
    final Counter fanOutPaused = stages.counter("fan-out", "paused");
    final Counter fanOutNoCodec = stages.counter("fan-out", "no_codec");
    /** A simulcast layer the consumer does not take now (another layer, or waiting for a keyframe to switch). */
    final Counter fanOutOtherLayer = stages.counter("fan-out", "other_layer");
    final Counter fanOutFailed = stages.counter("fan-out", "failed");
    final Counter rtcpMalformed = stages.counter("rtcp", "malformed");
    final Counter rtcpProcessed = stages.counter("rtcp", "processed");
    final Counter rtcpSrForwarded = stages.counter("rtcp", "sr_forwarded");
    final Counter rtcpUnknownSsrc = stages.counter("rtcp", "unknown_ssrc");
    final Counter nackAnswered = stages.counter("nack", "retransmitted");
    final Counter nackMissed = stages.counter("nack", "not_cached");
    final Counter nackRepeat = stages.counter("nack", "repeat_ignored");
    final Counter nackPacketLimit = stages.counter("nack", "packet_limit");
    final Counter nackRateLimited = stages.counter("nack", "rate_limited");
    final Counter nackSent = stages.counter("nack", "sent_to_publisher");
    /** RFC 4588: a packet on a publisher's RTX SSRC (whatever then became of it). */
    final Counter rtxReceived = stages.counter("rtx", "received");
    /** An RTX packet that brought a packet the forwarder did not have: it goes on as that packet, late. */
    final Counter rtxRecovered = stages.counter("rtx", "recovered");
    /** An RTX packet with no payload but padding (the publisher probing the path): dropped. */
    final Counter rtxPadding = stages.counter("rtx", "padding");
    /**
     * An RTX packet of a packet the forwarder has already (a probe with a redundant payload), or one older than the
     * layer's cache reaches: dropped.
     */
    final Counter rtxDuplicate = stages.counter("rtx", "duplicate");
    /** An RTX packet shorter than its OSN, of an unknown payload type, or before its media stream: dropped. */
    final Counter rtxMalformed = stages.counter("rtx", "malformed");
    /** A retransmission to a subscriber sent RTX-wrapped on its consumer's RTX SSRC (among nack,retransmitted). */
    final Counter rtxSent = stages.counter("rtx", "sent");
    /** A late packet (recovered, reordered) from before a consumer's current mapping: not sent to it. */
    final Counter fanOutLate = stages.counter("fan-out", "late_dropped");
    final Counter pliForwarded = stages.counter("keyframe", "requested");
    final Counter pliRateLimited = stages.counter("keyframe", "rate_limited");
    final Counter keyframeReplayed = stages.counter("keyframe", "replayed_packets");
    final Counter stageError = stages.counter("engine", "error");
    final Counter transportCcSent = stages.counter("transport-cc", "feedback_sent");

    /** The (stage, outcome) pairs of which each received datagram counts exactly one. */
    static final java.util.List<String> TERMINAL = java.util.List.of(
            "demux,unknown", "ice,answered", "ice,dropped", "dtls,passed", "dtls,no_session", "dtls,unknown_source",
            "srtp-decrypt,unknown_source", "srtp-decrypt,not_ready", "srtp-decrypt,auth_failed", "srtp-decrypt,replay",
            "srtp-decrypt,malformed", "rtp-parse,malformed", "rtp-parse,from_subscriber", "track,unknown_ssrc",
            "track,muted", "rewrite,too_old", "track,forwarded", "rtcp,malformed", "rtcp,processed", "engine,error",
            "rtx,padding", "rtx,duplicate", "rtx,malformed");

    /** Counts an SRTP/SRTCP refusal by its {@link SrtpResult} code. */
    void srtpRefused(int code) {
        switch (code) {
            case SrtpResult.AUTH_FAILED -> srtpAuthFailed.increment();
            case SrtpResult.REPLAY -> srtpReplay.increment();
            default -> srtpMalformed.increment();
        }
    }

    void sent(int bytes) {
        packetsOut.increment();
        bytesOut.add(bytes);
    }
}
