package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.gateway.*}: identity of this gateway and the limits of its sockets.
 *
 * @param id                     gateway id, the key of its deliveries; blank means the host name
 * @param deliveryPartition      the partition of {@code gateway.delivery.requested} this gateway reads; -1 picks
 *                               {@code Topics.defaultDeliveryPartition(id, partitions)}
 * @param publicUrl              base of absolute links ({@code joinUrl}); blank means the scheme/host/port the
 *                               request came in on
 * @param maxFrameBytes          largest client frame the gateway reads (larger: error {@code frame_too_large})
 * @param maxSdpFrameBytes       the same for {@code media-offer} and {@code media-answer}, whose SDP grows with
 *                               the room (two m-sections per camera publisher; ~70 KB at 50 cameras)
 * @param maxTransportFrameBytes Netty's WebSocket payload limit, at least {@code maxSdpFrameBytes}: a frame above it
 *                               closes the connection (1009) unread; between {@code maxFrameBytes} and it, a frame
 *                               that is not SDP gets an error frame and the socket stays
 * @param framesPerSecond        token-bucket refill rate per socket
 * @param frameBurst             token-bucket capacity per socket
 * @param outboundBuffer         frames queued for a socket before it is dropped as a slow consumer (close 1013)
 * @param shutdownGrace          how long shutdown waits for LEAVE records to be acknowledged
 * @param codeMissesPerMinute    refill rate of a client address's budget of unknown meeting codes
 *                               ({@code web.MissBudget})
 * @param codeMissBurst          that budget's size: unknown codes an address may try before it gets 429
 * @param loginFailuresPerMinute refill of a client address's budget of failed logins ({@code web.MissBudget})
 * @param loginFailureBurst      failed logins an address may make before it gets 429
 * @param accountFailuresPerMinute refill of an account's budget of failed logins (whatever the address)
 * @param accountFailureBurst    failed logins an account may take before its logins get 429
 * @param lastN                  remote tiles a page shows video of at most (sent in {@code hello}; 1–256)
 */
@ConfigurationProperties("rendezvous.gateway")
public record GatewaySettings(
        String id,
        @DefaultValue("-1") int deliveryPartition,
        String publicUrl,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("266240") int maxSdpFrameBytes,
        @DefaultValue("266240") int maxTransportFrameBytes,
        @DefaultValue("50") double framesPerSecond,
        @DefaultValue("100") int frameBurst,
        @DefaultValue("256") int outboundBuffer,
        @DefaultValue("PT10S") Duration shutdownGrace,
        @DefaultValue("6") double codeMissesPerMinute,
        @DefaultValue("30") int codeMissBurst,
        @DefaultValue("10") double loginFailuresPerMinute,
        @DefaultValue("20") int loginFailureBurst,
        @DefaultValue("5") double accountFailuresPerMinute,
        @DefaultValue("10") int accountFailureBurst,
        @DefaultValue("16") int lastN) {

    public GatewaySettings {
        if (maxFrameBytes < 256) {
            throw new IllegalArgumentException("rendezvous.gateway.max-frame-bytes must be >= 256");
        }
        if (maxSdpFrameBytes < maxFrameBytes) {
            throw new IllegalArgumentException(
                    "rendezvous.gateway.max-sdp-frame-bytes must be at least max-frame-bytes");
        }
        if (maxTransportFrameBytes < maxSdpFrameBytes) {
            throw new IllegalArgumentException(
                    "rendezvous.gateway.max-transport-frame-bytes must be at least max-sdp-frame-bytes");
        }
        if (framesPerSecond <= 0 || frameBurst < 1) {
            throw new IllegalArgumentException("rendezvous.gateway.frames-per-second and frame-burst must be positive");
        }
        if (outboundBuffer < 1) {
            throw new IllegalArgumentException("rendezvous.gateway.outbound-buffer must be >= 1");
        }
        if (codeMissesPerMinute <= 0 || codeMissBurst < 1) {
            throw new IllegalArgumentException("rendezvous.gateway.code-misses-per-minute and code-miss-burst must be positive");
        }
        if (lastN < 1 || lastN > 256) {
            throw new IllegalArgumentException("rendezvous.gateway.last-n must be 1 to 256, was " + lastN);
        }
        if (deliveryPartition < -1) {
            throw new IllegalArgumentException("rendezvous.gateway.delivery-partition must be -1 (auto) or a partition");
        }
    }
}
