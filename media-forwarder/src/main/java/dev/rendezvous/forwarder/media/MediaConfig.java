package dev.rendezvous.forwarder.media;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link MediaEngine} runs.
 *
 * @param advertisedAddress   the IP in our candidates
 * @param bindAddress         the socket's local address: the advertised one on a host (a socket on 0.0.0.0
 *                            answers loopback checks from another source address and ICE fails); the pod IP
 *                            behind a Kubernetes hostPort
 * @param port                UDP port (0 = any free port, for tests)
 * @param consentTimeout      a connection without a STUN check for this long is gone
 * @param maxBitrateBps       the REMB sent to publishers: what one video track may use
 * @param dtlsTimeout         a DTLS handshake that has not completed in this time fails
 * @param maxParticipants     participants this forwarder admits at most (its capacity); more are refused
 * @param maxRoomParticipants participants one room admits at most on this forwarder
 * @param answerTimeout       a subscribe offer unanswered this long is sent again, then given up
 * @param tcpPort             the passive ICE-TCP port (RFC 6544) on the same address, offered as a second,
 *                            lower-priority candidate for browsers without UDP; 0 = any free port, -1 = none
 */
public record MediaConfig(String advertisedAddress, String bindAddress, int port, Duration consentTimeout,
                          long maxBitrateBps, Duration dtlsTimeout, int maxParticipants, int maxRoomParticipants,
                          Duration answerTimeout, int tcpPort) {
    public MediaConfig {
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        if (bindAddress == null || bindAddress.isBlank()) {
            bindAddress = advertisedAddress;
        }
        if (maxParticipants < 1 || maxRoomParticipants < 1) {
            throw new IllegalArgumentException("participant limits must be at least 1");
        }
        Objects.requireNonNull(answerTimeout, "answerTimeout");
        if (tcpPort < -1 || tcpPort > 65535) {
            throw new IllegalArgumentException("tcpPort must be -1 (none) or within 0..65535: " + tcpPort);
        }
    }

    /** Without ICE-TCP. */
    public MediaConfig(String advertisedAddress, String bindAddress, int port, Duration consentTimeout,
                       long maxBitrateBps, Duration dtlsTimeout, int maxParticipants, int maxRoomParticipants,
                       Duration answerTimeout) {
        this(advertisedAddress, bindAddress, port, consentTimeout, maxBitrateBps, dtlsTimeout, maxParticipants,
                maxRoomParticipants, answerTimeout, -1);
    }

    public MediaConfig(String advertisedAddress, String bindAddress, int port, Duration consentTimeout,
                       long maxBitrateBps, Duration dtlsTimeout) {
        this(advertisedAddress, bindAddress, port, consentTimeout, maxBitrateBps, dtlsTimeout, 200, 100,
                Duration.ofSeconds(10));
    }

    public static MediaConfig loopback() {
        return new MediaConfig("127.0.0.1", "127.0.0.1", 0, Duration.ofSeconds(30), 2_500_000,
                Duration.ofSeconds(10));
    }

    /** ICE-TCP connections open at once: two per participant, and room for ones closing or never used. */
    int maxTcpConnections() {
        return 2 * maxParticipants + 64;
    }

    /** Every DTLS association holds a thread: two per participant, and room for ones closing. */
    int maxDtlsAssociations() {
        return 2 * maxParticipants + 16;
    }
}
