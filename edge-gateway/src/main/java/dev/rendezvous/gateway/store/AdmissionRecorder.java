package dev.rendezvous.gateway.store;

import dev.rendezvous.topics.model.RoomEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Watches this gateway's deliveries and writes {@link Admissions}: a {@code JOINED} (the processor let the
 * socket's participant in) admits, a {@code REMOVED} removes. Only the gateway holding the socket gets these
 * deliveries, so each is written once. Writes leave the delivery consumer's thread at once and are applied one after
 * another in delivery order (a removal never overtakes the admission before it); at most {@code capacity} wait, the
 * rest are dropped with a warning (the history check also asks the running room, see
 * {@code web.HistoryAccess}). A failed write is logged and skipped.
 */
public final class AdmissionRecorder implements Consumer<RoomEvent>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdmissionRecorder.class);

    private record Write(boolean admit, UUID meetingId, String participantId, String displayName) {}

    private final Admissions admissions;
    private final Clock clock;
    private final Sinks.Many<Write> queue;
    private final Disposable writer;

    public AdmissionRecorder(Admissions admissions, Clock clock, int capacity) {
        this.admissions = admissions;
        this.clock = clock;
        this.queue = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(capacity));
        this.writer = queue.asFlux()
                .concatMap(w -> (w.admit() ? admissions.admit(w.meetingId(), w.participantId(), w.displayName(), clock.instant())
                        : admissions.remove(w.meetingId(), w.participantId(), clock.instant()))
                        .timeout(Duration.ofSeconds(10))
                        .onErrorResume(e -> {
                            log.warn("could not record that {} was {} meeting {}: {}", w.participantId(),
                                    w.admit() ? "admitted into" : "removed from", w.meetingId(), e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    /** Called on the delivery consumer's thread for every delivery addressed to this gateway. */
    @Override
    public void accept(RoomEvent e) {
        if (e == null || e.type() == null || e.meetingId() == null) {
            return;
        }
        String participantId = switch (e.type()) {
            case JOINED -> e.participant() == null ? null : e.participant().participantId();
            case REMOVED -> e.host() == null ? null : e.host().participantId();
            default -> null;
        };
        UUID meetingId = uuid(e.meetingId());
        if (participantId == null || participantId.isBlank() || meetingId == null) {
            return;
        }
        String name = e.type() == RoomEvent.Type.JOINED ? displayName(e.participant().displayName()) : null;
        Sinks.EmitResult r;
        synchronized (queue) {
            r = queue.tryEmitNext(new Write(e.type() == RoomEvent.Type.JOINED, meetingId, participantId, name));
        }
        if (r.isFailure()) {
            log.warn("admission of {} to meeting {} not recorded: {}", participantId, meetingId, r);
        }
    }

    @Override
    public void close() {
        writer.dispose();
    }

    /** At most 200 characters (the column); blank is no name. */
    private static String displayName(String n) {
        if (n == null || n.isBlank()) {
            return null;
        }
        return n.length() > 200 ? n.substring(0, 200) : n;
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }
}
