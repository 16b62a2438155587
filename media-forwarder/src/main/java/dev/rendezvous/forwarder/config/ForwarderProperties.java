package dev.rendezvous.forwarder.config;

import java.net.InetAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.forwarder.*}: who this forwarder is and what it reports.
 *
 * @param id                       this forwarder's id: key of its metrics and of the commands addressed to
 *                                 it; blank means the host name (the pod name on Kubernetes). Must be unique
 *                                 in the cluster and stable for the life of the process
 * @param region                   region label placement matches with clients' region hints
 * @param advertisedAddress        the IP browsers send media to (ICE host candidate); the UDP socket will be
 *                                 bound to exactly this address (SFU issue)
 * @param udpPort                  the UDP port of that socket, shared by every participant (0 = any free port,
 *                                 for tests)
 * @param capacity                 participants this forwarder takes at most (the engine refuses more with
 *                                 {@code capacity}); placement's weight is capacity − load − penalties
 * @param roomParticipantLimit     participants with media one room takes at most on this forwarder (more are
 *                                 refused with {@code room_full})
 * @param answerTimeout            a subscribe offer unanswered this long is sent again; unanswered twice, the
 *                                 page's subscribe connection is dropped (it starts a new one)
 * @param metricsInterval          time between two {@code forwarder.metrics.reported} records
 * @param metricsFailureThreshold  health is DOWN when publishing metrics has failed for longer than this
 * @param maxBitrateBps            the bitrate one published video track may use (sent to publishers as REMB)
 * @param consentTimeout           a PeerConnection without an ICE check for this long is gone (RFC 7675: 30 s)
 * @param bindAddress              the local address of the media socket; blank = the advertised address (right
 *                                 on a host; in a pod behind a hostPort, the pod IP)
 * @param drainTimeout             on SIGTERM (or POST /actuator/drain) the forwarder reports draining, stream-apps
 *                                 moves its rooms away, and it stops once it holds no room or after this long
 * @param tcpPort                  the passive ICE-TCP port (RFC 6544) for browsers without UDP, on the same
 *                                 address; null (the default) = the UDP port's number (bound separately: 0
 *                                 there = any free port here too), 0 = any free port, -1 = no ICE-TCP
 */
@ConfigurationProperties("rendezvous.forwarder")
public record ForwarderProperties(
        String id,
        @DefaultValue("local") String region,
        @DefaultValue("127.0.0.1") String advertisedAddress,
        @DefaultValue("10000") int udpPort,
        @DefaultValue("200") int capacity,
        @DefaultValue("PT1S") Duration metricsInterval,
        @DefaultValue("PT5S") Duration metricsFailureThreshold,
        @DefaultValue("2500000") long maxBitrateBps,
        @DefaultValue("PT30S") Duration consentTimeout,
        @DefaultValue("") String bindAddress,
        @DefaultValue("100") int roomParticipantLimit,
        @DefaultValue("PT10S") Duration answerTimeout,
        @DefaultValue("PT60S") Duration drainTimeout,
        Integer tcpPort) {

    public ForwarderProperties {
        if (id == null || id.isBlank()) {
            id = hostname();
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("rendezvous.forwarder.region must not be blank");
        }
        if (advertisedAddress == null || advertisedAddress.isBlank()) {
            throw new IllegalArgumentException("rendezvous.forwarder.advertised-address must not be blank");
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            bindAddress = advertisedAddress;
        }
        if (udpPort < 0 || udpPort > 65535) {
            throw new IllegalArgumentException("rendezvous.forwarder.udp-port must be within 0..65535: " + udpPort);
        }
        if (tcpPort == null) {
            tcpPort = udpPort;
        } else if (tcpPort < -1 || tcpPort > 65535) {
            throw new IllegalArgumentException("rendezvous.forwarder.tcp-port must be -1 (off) or within 0..65535: "
                    + tcpPort);
        }
        if (maxBitrateBps < 30_000) {
            throw new IllegalArgumentException("rendezvous.forwarder.max-bitrate-bps must be at least 30000: " + maxBitrateBps);
        }
        if (consentTimeout == null || consentTimeout.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("rendezvous.forwarder.consent-timeout must be at least 5 s");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("rendezvous.forwarder.capacity must be at least 1: " + capacity);
        }
        if (roomParticipantLimit < 1) {
            throw new IllegalArgumentException("rendezvous.forwarder.room-participant-limit must be at least 1: "
                    + roomParticipantLimit);
        }
        if (answerTimeout == null || answerTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("rendezvous.forwarder.answer-timeout must be at least 1 s");
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("rendezvous.forwarder.drain-timeout must not be negative");
        }
        if (metricsInterval == null || metricsInterval.isNegative() || metricsInterval.isZero()) {
            throw new IllegalArgumentException("rendezvous.forwarder.metrics-interval must be positive");
        }
        if (metricsFailureThreshold == null || metricsFailureThreshold.isNegative()) {
            throw new IllegalArgumentException("rendezvous.forwarder.metrics-failure-threshold must not be negative");
        }
    }

    /** $HOSTNAME (set in containers), else the resolver's host name, else {@code forwarder-<pid>}. */
    static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (java.io.IOException e) {
            // fall through
        }
        return "forwarder-" + ProcessHandle.current().pid();
    }
}
