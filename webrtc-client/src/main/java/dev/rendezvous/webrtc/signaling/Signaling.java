package dev.rendezvous.webrtc.signaling;

import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.forwarder.media.TrackSpec;
import java.util.List;
import java.util.function.Consumer;

/**
 * How one client's SDP reaches the forwarder and back — the seam between the client and a signaling path. A
 * browser page does this over the edge gateway's WebSocket ({@code join}, {@code media-offer},
 * {@code media-answer}, {@code media-state}, {@code media-subscribe}, {@code leave} in docs/protocol.md);
 * {@link InProcessForwarder}
 * calls a {@code MediaEngine} directly; {@link GatewaySignaling} maps the methods one to one onto those
 * messages and calls the {@link Listener} from its receive side.
 *
 * <p>Implementations deliver a client's {@link Listener} calls one at a time and in order, and never on the
 * caller's thread of a method here (the client must not be re-entered while it signals).
 */
public interface Signaling {

    /** What the forwarder sends the client unasked. */
    interface Listener {
        /** A new or changed subscribe offer; the client answers with {@link #subscribeAnswer}. */
        void onSubscribeOffer(String sdp, List<RemoteTrack> tracks);

        /**
         * The meeting's media moved to another forwarder (the old one died or drains; {@code media-moved}): the
         * client throws both connections away and starts over through {@link #resubscribe} and a new
         * {@link #publish}, which now reach the new forwarder.
         */
        default void onMediaMoved() {
        }

        /** A request failed (bad SDP, unknown room, …); {@code what} names the request. */
        default void onError(String what, Throwable cause) {
        }
    }

    /**
     * Joins: the subscribe side starts at once (the forwarder offers the others' tracks through the
     * listener). {@code subscribeFingerprint} is the certificate fingerprint the subscribe answers will carry.
     */
    void join(String subscribeFingerprint, Listener listener);

    /** The publish connection's offer and its tracks; the answer comes to {@code onAnswer}. */
    void publish(String offerSdp, List<TrackSpec> tracks, Consumer<String> onAnswer);

    /**
     * The client threw its subscribe connection away (a media restart) and wants a fresh subscribe offer, as after
     * {@link #join}; {@code subscribeFingerprint} as there.
     */
    void resubscribe(String subscribeFingerprint);

    /** The answer to the latest subscribe offer. */
    void subscribeAnswer(String answerSdp);

    /** Mute state changes of the client's own tracks. */
    void updateTracks(List<TrackSpec> tracks);

    /** Leaves the meeting; nothing more is delivered afterwards. */
    void leave();
}
