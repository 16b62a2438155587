package dev.rendezvous.forwarder.command;

import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.forwarder.media.MediaException;
import dev.rendezvous.forwarder.media.MediaListener;
import dev.rendezvous.forwarder.media.PageStats;
import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.forwarder.media.TrackKind;
import dev.rendezvous.forwarder.media.TrackSource;
import dev.rendezvous.forwarder.media.TileSpec;
import dev.rendezvous.forwarder.media.TrackSpec;
import dev.rendezvous.forwarder.sdp.SdpException;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaSignal.Pc;
import dev.rendezvous.topics.model.MediaStats;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.TileView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFU's side of the commands topic: turns each {@link ForwarderCommand} into a plain call on the
 * {@link MediaEngine}, and what the engine reports ({@link MediaListener}) into {@link ForwarderEvent}s for
 * {@code forwarder.event.emitted} (key = meeting id, so a room's events stay in order).
 *
 * <p>A command the engine refuses (an unusable SDP, an answer nobody waits for) becomes an ERROR event for
 * that socket, never an exception: one client's bad input never touches the room.
 */
public final class SfuCommandHandler implements ForwarderCommandHandler, MediaListener {

    private static final Logger log = LoggerFactory.getLogger(SfuCommandHandler.class);

    private final String forwarderId;
    private final Consumer<ForwarderEvent> events;
    private final Clock clock;
    private volatile MediaEngine engine;

    /** @param events where events go (the Kafka adapter); must not block */
    public SfuCommandHandler(String forwarderId, Consumer<ForwarderEvent> events, Clock clock) {
        this.forwarderId = forwarderId;
        this.events = events;
        this.clock = clock;
    }

    /** The engine is built with this handler as its listener, then attached here. */
    public void attach(MediaEngine engine) {
        this.engine = engine;
    }

    @Override
    public void handle(ForwarderCommand c) {
        MediaEngine e = engine;
        if (e == null || c.kind() == null || c.meetingId() == null) {
            return;
        }
        MediaSignal signal = c.signal() == null ? MediaSignal.empty() : c.signal();
        switch (c.kind()) {
            case OFFER -> {
                if (c.socketId() == null || signal.sdp() == null) {
                    error(c, Pc.PUBLISH, "bad_offer", "an offer needs a socket and an SDP");
                    return;
                }
                try {
                    e.publish(c.meetingId(), c.socketId(), c.participantId(), signal.sdp(), specs(signal.tracks()),
                            answer -> emit(c.meetingId(), c.socketId(), ForwarderEvent.Kind.ANSWER,
                                    MediaSignal.answer(Pc.PUBLISH, answer)));
                } catch (SdpException ex) {
                    error(c, Pc.PUBLISH, "bad_offer", ex.getMessage());
                } catch (MediaException ex) {
                    error(c, Pc.PUBLISH, ex.code(), ex.getMessage());
                }
            }
            case ANSWER -> {
                if (c.socketId() == null || signal.sdp() == null) {
                    error(c, Pc.SUBSCRIBE, "bad_answer", "an answer needs a socket and an SDP");
                    return;
                }
                try {
                    e.subscribeAnswer(c.meetingId(), c.socketId(), signal.sdp());
                } catch (SdpException ex) {
                    error(c, Pc.SUBSCRIBE, "bad_answer", ex.getMessage());
                } catch (MediaException ex) {
                    error(c, Pc.SUBSCRIBE, ex.code(), ex.getMessage());
                }
            }
            case SUBSCRIBE -> {
                if (c.socketId() == null) {
                    error(c, Pc.SUBSCRIBE, "bad_subscribe", "a subscribe needs a socket");
                    return;
                }
                try {
                    e.subscribe(c.meetingId(), c.socketId(), c.participantId(), signal.fingerprint());
                } catch (MediaException ex) {
                    error(c, Pc.SUBSCRIBE, ex.code(), ex.getMessage());
                }
            }
            case TRACK_UPDATE -> e.updateTracks(c.meetingId(), c.socketId(), specs(signal.tracks()));
            case TILE_VIEW -> e.viewTiles(c.meetingId(), c.socketId(), tiles(signal.tiles()));
            case STATS_START, STATS_STOP -> e.watchStats(c.meetingId(), c.socketId(), c.kind() == ForwarderCommand.Kind.STATS_START);
            case DISCONNECT -> e.disconnect(c.meetingId(), c.socketId());
            case CLOSE_ROOM -> e.closeRoom(c.meetingId());
            case CANDIDATE -> { } // ICE-lite: remote addresses are learnt from the browser's checks
            case RECORD_START, RECORD_STOP -> log.info("{} for meeting {}: recording is not implemented yet",
                    c.kind(), c.meetingId());
        }
    }

    private void error(ForwarderCommand c, Pc pc, String code, String message) {
        log.info("{} from socket {} in meeting {} refused: {} ({})", c.kind(), c.socketId(), c.meetingId(), code, message);
        emit(c.meetingId(), c.socketId(), ForwarderEvent.Kind.ERROR, MediaSignal.error(pc, code, message));
    }

    static List<TrackSpec> specs(List<MediaTrack> tracks) {
        List<TrackSpec> out = new ArrayList<>();
        if (tracks == null) {
            return out;
        }
        for (MediaTrack t : tracks) {
            if (t == null) {
                continue;
            }
            out.add(new TrackSpec(t.mid(),
                    t.kind() == null ? null : TrackKind.valueOf(t.kind().name()),
                    t.source() == null ? null : TrackSource.valueOf(t.source().name()),
                    t.muted()));
        }
        return out;
    }

    /** A TILE_VIEW's tiles as the engine's (entries without a socket or a video source are skipped). */
    static List<TileSpec> tiles(List<TileView> tiles) {
        List<TileSpec> out = new ArrayList<>();
        if (tiles == null) {
            return out;
        }
        for (TileView t : tiles) {
            if (t == null || t.socketId() == null || t.source() == null || t.source() == MediaTrack.Source.MICROPHONE) {
                continue;
            }
            boolean hidden = t.visibility() != TileView.Visibility.SHOWN;
            out.add(new TileSpec(t.socketId(), TrackSource.valueOf(t.source().name()), hidden,
                    hidden ? 0 : Math.max(0, t.width()), hidden ? 0 : Math.max(0, t.height())));
        }
        return out;
    }

    private void emit(String meetingId, String socketId, ForwarderEvent.Kind kind, MediaSignal signal) {
        try {
            events.accept(new ForwarderEvent(forwarderId, meetingId, socketId, kind, signal, clock.instant()));
        } catch (RuntimeException ex) {
            log.warn("could not emit {} for meeting {}: {}", kind, meetingId, ex.toString());
        }
    }

    // ------------------------------------------------------------------ MediaListener

    @Override
    public void subscribeOffer(String meetingId, String socketId, String sdp, List<RemoteTrack> tracks) {
        List<MediaTrack> list = new ArrayList<>(tracks.size());
        for (RemoteTrack t : tracks) {
            list.add(new MediaTrack(t.mid(), t.socketId(), t.participantId(),
                    MediaTrack.Kind.valueOf(t.kind().name()), MediaTrack.Source.valueOf(t.source().name()), t.muted()));
        }
        emit(meetingId, socketId, ForwarderEvent.Kind.OFFER, MediaSignal.offer(Pc.SUBSCRIBE, sdp, list));
    }

    @Override
    public void activeSpeaker(String meetingId, String socketId) {
        emit(meetingId, socketId, ForwarderEvent.Kind.ACTIVE_SPEAKER, MediaSignal.speaker(socketId));
    }

    @Override
    public void pageStats(String meetingId, String socketId, PageStats stats) {
        emit(meetingId, socketId, ForwarderEvent.Kind.MEDIA_STATS, MediaSignal.stats(mediaStats(stats)));
    }

    /** The engine's figures as the contract's record. */
    static MediaStats mediaStats(PageStats s) {
        List<MediaStats.TrackStats> tracks = new ArrayList<>(s.tracks().size());
        for (PageStats.Track t : s.tracks()) {
            tracks.add(new MediaStats.TrackStats(t.socketId(), MediaTrack.Source.valueOf(t.source().name()),
                    MediaStats.State.valueOf(t.state().name()), t.layer(), t.target(), t.layers(), t.width(), t.bitrateBps()));
        }
        return new MediaStats(s.estimateBps(), s.congested(), s.lossFraction(), s.rttMs(), tracks);
    }

    @Override
    public void connected(String meetingId, String socketId, boolean publish) {
        emit(meetingId, socketId, ForwarderEvent.Kind.CONNECTED,
                new MediaSignal(publish ? Pc.PUBLISH : Pc.SUBSCRIBE, null, null, null, null, null));
    }

    @Override
    public void subscribeAbandoned(String meetingId, String socketId) {
        emit(meetingId, socketId, ForwarderEvent.Kind.ERROR, MediaSignal.error(Pc.SUBSCRIBE, "subscribe_timeout",
                "the video connection's offer went unanswered; reconnecting"));
    }

    @Override
    public void disconnected(String meetingId, String socketId, boolean publish, String reason) {
        emit(meetingId, socketId, ForwarderEvent.Kind.DISCONNECTED,
                MediaSignal.error(publish ? Pc.PUBLISH : Pc.SUBSCRIBE, "disconnected", reason));
    }
}
