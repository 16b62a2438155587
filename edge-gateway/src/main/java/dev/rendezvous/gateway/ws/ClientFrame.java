package dev.rendezvous.gateway.ws;

import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.SignalRequest;
import java.util.List;

/**
 * A frame a client sent, after parsing (docs/protocol.md, "Client frames"). Fields may be null. Each kind is
 * handled through {@link #accept}: a new kind does not compile until every {@link Handler} says what it does.
 */
public sealed interface ClientFrame {

    /** What a frame's receiver does with each kind; the six media frames share one method. */
    interface Handler<R> {
        R join(Join join);

        R chat(Chat chat);

        R leave(Leave leave);

        R ping(Ping ping);

        R media(MediaFrame media);

        R roomAction(RoomAction action);
    }

    <R> R accept(Handler<R> handler);

    /** The meeting the frame is about; null for a ping. */
    String meetingId();

    /** True for the frames that carry an SDP (and so have a larger size limit). */
    default boolean carriesSdp() {
        return false;
    }

    /** What an error about this frame names in {@code ref} (docs/protocol.md, "Errors"): by default the meeting. */
    default String ref() {
        return meetingId();
    }

    /**
     * Join a meeting; {@code token} may instead come from the socket's {@code ?token=} query. {@code fingerprint}
     * (optional): the SHA-256 fingerprint of the certificate the client's subscribe PeerConnection will use.
     * {@code region} (optional): the client's region hint for placing a new room (else the gateway's region).
     * {@code replaces} (optional): the socket id the page held in this meeting before its connection broke.
     */
    record Join(String meetingId, String token, String fingerprint, String region, String replaces) implements ClientFrame {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.join(this);
        }

        public Join(String meetingId, String token) {
            this(meetingId, token, null, null, null);
        }

        public Join(String meetingId, String token, String fingerprint) {
            this(meetingId, token, fingerprint, null, null);
        }

        public Join(String meetingId, String token, String fingerprint, String region) {
            this(meetingId, token, fingerprint, region, null);
        }
    }

    /** Send a chat message to a joined meeting; validated by {@link FrameValidator#validateChat}. */
    record Chat(String meetingId, String clientMsgId, String text) implements ClientFrame {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.chat(this);
        }

        @Override
        public String ref() {
            return clientMsgId;
        }
    }

    /** Leave a joined meeting. */
    record Leave(String meetingId) implements ClientFrame {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.leave(this);
        }
    }

    /** Liveness check; answered with {@code pong}. */
    record Ping() implements ClientFrame {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.ping(this);
        }

        @Override
        public String meetingId() {
            return null;
        }
    }

    /**
     * One entry of a media frame's {@code tracks}, as sent (lowercase {@code kind}/{@code source}); checked by
     * {@link FrameValidator#validateTracks}. {@code muted} is false when absent.
     */
    record Track(String mid, String kind, String source, boolean muted) {}

    /**
     * The media frames: each is checked after the joined check ({@link #validate}) and becomes one
     * {@link SignalRequest} for the room's forwarder.
     */
    sealed interface MediaFrame extends ClientFrame {
        /** Content checks ({@link FrameValidator}'s): null when fine. */
        FrameError validate();

        /** The request's kind (after {@link #validate} passed). */
        SignalRequest.Kind signalKind();

        /** The request's payload (after {@link #validate} passed). */
        MediaSignal signal();

        @Override
        default <R> R accept(Handler<R> handler) {
            return handler.media(this);
        }
    }

    /** The offer of the client's PUBLISH PeerConnection (first one, renegotiation, ICE restart). */
    record MediaOffer(String meetingId, String sdp, List<Track> tracks) implements MediaFrame {
        @Override
        public boolean carriesSdp() {
            return true;
        }

        @Override
        public FrameError validate() {
            FrameError e = FrameValidator.validateSdp(sdp, FrameParser.REF_PUBLISH, meetingId);
            return e != null ? e : FrameValidator.validateTracks(tracks, FrameParser.REF_PUBLISH, meetingId);
        }

        @Override
        public SignalRequest.Kind signalKind() {
            return SignalRequest.Kind.OFFER;
        }

        @Override
        public MediaSignal signal() {
            return MediaSignal.offer(MediaSignal.Pc.PUBLISH, sdp, FrameValidator.mediaTracks(tracks));
        }

        public MediaOffer {
            tracks = tracks == null ? List.of() : List.copyOf(tracks);
        }

        @Override
        public String ref() {
            return FrameParser.REF_PUBLISH;
        }
    }

    /** The answer of the client's SUBSCRIBE PeerConnection to the forwarder's offer. */
    record MediaAnswer(String meetingId, String sdp) implements MediaFrame {
        @Override
        public boolean carriesSdp() {
            return true;
        }

        @Override
        public FrameError validate() {
            return FrameValidator.validateSdp(sdp, FrameParser.REF_SUBSCRIBE, meetingId);
        }

        @Override
        public SignalRequest.Kind signalKind() {
            return SignalRequest.Kind.ANSWER;
        }

        @Override
        public MediaSignal signal() {
            return MediaSignal.answer(MediaSignal.Pc.SUBSCRIBE, sdp);
        }

        @Override
        public String ref() {
            return FrameParser.REF_SUBSCRIBE;
        }
    }

    /**
     * The client threw its subscribe PeerConnection away (a media restart) and wants a fresh subscribe offer.
     * Not needed after a join: joining starts the subscribe side.
     */
    record MediaSubscribe(String meetingId, String fingerprint) implements MediaFrame {
        @Override
        public FrameError validate() {
            return FrameValidator.validateFingerprint(fingerprint, FrameParser.REF_SUBSCRIBE, meetingId);
        }

        @Override
        public SignalRequest.Kind signalKind() {
            return SignalRequest.Kind.SUBSCRIBE;
        }

        @Override
        public MediaSignal signal() {
            return MediaSignal.subscribe(fingerprint);
        }

        public MediaSubscribe(String meetingId) {
            this(meetingId, null);
        }

        @Override
        public String ref() {
            return FrameParser.REF_SUBSCRIBE;
        }
    }

    /** The client's own tracks after a mute change. */
    record MediaState(String meetingId, List<Track> tracks) implements MediaFrame {
        @Override
        public FrameError validate() {
            if (tracks.isEmpty()) {
                return new FrameError(ErrorCode.INVALID_MESSAGE, "media-state needs at least one track",
                        FrameParser.REF_MEDIA, meetingId);
            }
            return FrameValidator.validateTracks(tracks, FrameParser.REF_MEDIA, meetingId);
        }

        @Override
        public SignalRequest.Kind signalKind() {
            return SignalRequest.Kind.TRACK_UPDATE;
        }

        @Override
        public MediaSignal signal() {
            return MediaSignal.trackUpdate(FrameValidator.mediaTracks(tracks));
        }

        public MediaState {
            tracks = tracks == null ? List.of() : List.copyOf(tracks);
        }

        @Override
        public String ref() {
            return FrameParser.REF_MEDIA;
        }
    }

    /**
     * One entry of a {@code media-view} frame's {@code tiles}, as sent: a remote video track (publisher's socket,
     * lowercase {@code source}) and its rendered size in device pixels, or {@code hidden}. Checked by
     * {@link FrameValidator#validateTiles}; width and height are -1 when absent.
     */
    record Tile(String socketId, String source, int width, int height, boolean hidden) {}

    /** How the page renders the remote video tracks it has (every one, each time): sizes or hidden. */
    record MediaView(String meetingId, List<Tile> tiles) implements MediaFrame {
        @Override
        public FrameError validate() {
            return FrameValidator.validateTiles(tiles, meetingId);
        }

        @Override
        public SignalRequest.Kind signalKind() {
            return SignalRequest.Kind.TILE_VIEW;
        }

        @Override
        public MediaSignal signal() {
            return MediaSignal.tileView(FrameValidator.tileViews(tiles));
        }

        public MediaView {
            tiles = tiles == null ? List.of() : List.copyOf(tiles);
        }

        @Override
        public String ref() {
            return FrameParser.REF_MEDIA;
        }
    }

    /**
     * The page's stats overlay opened ({@code on} true; repeated while it stays open) or closed: while on, the
     * forwarder reports how it serves the page once a second ({@code media-stats} server frames). Null {@code on}
     * = missing, refused by {@link FrameValidator#validateMedia}.
     */
    record MediaStatsRequest(String meetingId, Boolean on) implements MediaFrame {
        @Override
        public FrameError validate() {
            return on == null ? new FrameError(ErrorCode.INVALID_MESSAGE, "media-stats needs \"on\": true or false",
                    FrameParser.REF_MEDIA, meetingId) : null;
        }

        @Override
        public SignalRequest.Kind signalKind() {
            return on ? SignalRequest.Kind.STATS_START : SignalRequest.Kind.STATS_STOP;
        }

        @Override
        public MediaSignal signal() {
            return MediaSignal.empty();
        }

        @Override
        public String ref() {
            return FrameParser.REF_MEDIA;
        }
    }

    /**
     * A request to act on the room, as sent: {@code host-action} (its {@code action}), {@code raise-hand},
     * {@code lower-hand} or {@code reaction}; {@code action} holds the wire name of what is asked ({@code remove},
     * {@code mute-all}, {@code raise-hand}, {@code reaction}, …). Checked and turned into a request by
     * {@link HostActionFrames}.
     */
    record RoomAction(String meetingId, String action, String participantId, Boolean audio, Boolean video,
                      Boolean allowUnmute, String reaction, String requestId) implements ClientFrame {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.roomAction(this);
        }

        @Override
        public String ref() {
            return requestId != null ? FrameParser.abbreviate(requestId) : meetingId;
        }
    }
}
