package dev.rendezvous.recorder.composite;

import dev.rendezvous.recorder.assembly.FileStore;
import dev.rendezvous.recorder.assembly.RecordingAssembler.Finished;
import dev.rendezvous.recorder.assembly.RecordingAssembler.Stored;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Makes the composite of each finished recording ({@link #apply}, the assembler's hook): its stored
 * participant files are read back from the {@link FileStore} into a temporary directory, rendered
 * ({@link CompositeRenderer}), stored as {@value #NAME} beside them and announced. The work runs on a bounded
 * executor of its own ({@code concurrency} jobs at a time, at most {@code queue} waiting), never on the chunk
 * thread. The returned Mono completes once the composite is stored and announced — or failed: a failure is
 * logged and counted ({@code rendezvous.recorder.composites{outcome=failed}}) and never touches the
 * participant files.
 */
public final class CompositeService implements Function<Finished, Mono<Void>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CompositeService.class);

    /** The composite's file name within its recording. */
    public static final String NAME = "composite.webm";

    /** A stored composite. */
    public record Made(String recordingId, String meetingId, FileStore.StoredFile file) {}

    private final FileStore store;
    private final CompositeSettings settings;
    private final Function<Made, Mono<Void>> announce;
    private final Scheduler scheduler;
    private final Counter stored;
    private final Counter failed;
    private final Timer render;

    /**
     * @param announce    publishes a stored composite (completes when it is announced)
     * @param concurrency composites rendered at the same time
     * @param queue       finished recordings that may wait for their turn; more are refused (counted as failed)
     */
    public CompositeService(FileStore store, CompositeSettings settings, Function<Made, Mono<Void>> announce,
                            MeterRegistry registry, int concurrency, int queue) {
        this.store = store;
        this.settings = settings;
        this.announce = announce;
        this.scheduler = Schedulers.newBoundedElastic(concurrency, queue, "composite", 60, true);
        this.stored = Counter.builder("rendezvous.recorder.composites").tag("outcome", "stored")
                .description("Composites of finished recordings, by outcome").register(registry);
        this.failed = Counter.builder("rendezvous.recorder.composites").tag("outcome", "failed")
                .description("Composites of finished recordings, by outcome").register(registry);
        this.render = Timer.builder("rendezvous.recorder.composite.render")
                .description("Time to make and store one composite").register(registry);
    }

    @Override
    public Mono<Void> apply(Finished f) {
        List<Stored> files = f.files().stream().filter(s -> s.file().durationMs() > 0).toList();
        if (files.isEmpty()) {
            log.info("recording {}: no participant file, no composite", f.recordingId());
            return Mono.empty();
        }
        return Mono.fromCallable(() -> make(f, files))
                .subscribeOn(scheduler)
                .flatMap(made -> announce.apply(made).thenReturn(made))
                .doOnNext(made -> {
                    stored.increment();
                    log.info("recording {}: composite {} stored ({} bytes, {} ms)", f.recordingId(), made.file().key(),
                            made.file().sizeBytes(), made.file().durationMs());
                })
                .onErrorResume(e -> {
                    failed.increment();
                    log.warn("recording {}: no composite: {}", f.recordingId(), e.toString());
                    return Mono.empty();
                })
                .then();
    }

    private Made make(Finished f, List<Stored> files) throws IOException {
        long start = System.nanoTime();
        Path dir = Files.createTempDirectory("composite-");
        try {
            long t0 = files.stream().mapToLong(Stored::startEpochMicros).min().orElseThrow();
            List<CompositeRenderer.Input> inputs = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Stored s = files.get(i);
                Path local = dir.resolve("in-" + i + ".webm");
                try (InputStream in = store.open(s.file().key())) {
                    Files.copy(in, local);
                }
                inputs.add(new CompositeRenderer.Input(s.participantId() + "/" + s.source(), local,
                        (s.startEpochMicros() - t0) / 1e6, s.file().durationMs() / 1e3));
            }
            Path out = dir.resolve(NAME);
            CompositeRenderer.Result r = CompositeRenderer.render(inputs, out, settings);
            if (r.decodeErrors() > 0 || r.unreadableInputs() > 0) {
                log.info("recording {}: composite made without {} unreadable files and {} damaged packets",
                        f.recordingId(), r.unreadableInputs(), r.decodeErrors());
            }
            FileStore.Target target = store.create(f.recordingId(), NAME);
            try {
                try (OutputStream o = target.stream()) {
                    Files.copy(out, o);
                }
                FileStore.StoredFile file = target.complete(Math.round(r.durationSec() * 1000));
                return new Made(f.recordingId(), f.meetingId(), file);
            } catch (IOException | RuntimeException e) {
                target.abort();
                throw e;
            }
        } finally {
            delete(dir);
            render.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("temporary files under {} not removed: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
