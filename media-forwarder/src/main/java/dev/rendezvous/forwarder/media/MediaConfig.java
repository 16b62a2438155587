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
 */
public record MediaConfig(String advertisedAddress, String bindAddress, int port, Duration consentTimeout,
                          long maxBitrateBps, Duration dtlsTimeout, int maxParticipants, int maxRoomParticipants,
                          Duration answerTimeout) {
    public MediaConfig {
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        if (bindAddress == null || bindAddress.isBlank()) {
            bindAddress = advertisedAddress;
        }
        if (maxParticipants < 1 || maxRoomParticipants < 1) {
            throw new IllegalArgumentException("participant limits must be at least 1");
        }
        Objects.requireNonNull(answerTimeout, "answerTimeout");
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

    /** Every DTLS association holds a thread: two per participant, and room for ones closing. */
    int maxDtlsAssociations() {
        return 2 * maxParticipants + 16;
    }
}
