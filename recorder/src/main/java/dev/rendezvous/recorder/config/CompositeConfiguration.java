package dev.rendezvous.recorder.config;

import dev.rendezvous.recorder.assembly.FileStore;
import dev.rendezvous.recorder.assembly.RecordingAssembler;
import dev.rendezvous.recorder.assembly.S3FileStore;
import dev.rendezvous.recorder.composite.CompositeService;
import dev.rendezvous.recorder.kafka.RecorderKafka;
import dev.rendezvous.topics.model.RecordingFile;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * After a recording: its composite ({@link CompositeService}, when {@code rendezvous.recorder.composite.enabled}),
 * announced on {@code recording.file.stored} with kind {@code composite}; and the timer that finishes recordings
 * whose end marker never comes.
 */
@Configuration(proxyBeanMethods = false)
public class CompositeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CompositeConfiguration.class);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(5);

    @Bean(destroyMethod = "close")
    CompositeService compositeService(FileStore store, CompositeProperties p, RecorderKafka kafka, MeterRegistry registry,
                                      Clock clock) {
        String bucket = store instanceof S3FileStore s ? s.bucket() : "";
        return new CompositeService(store, p.settings(), made -> kafka.publishFile(new RecordingFile(made.recordingId(),
                made.meetingId(), "composite", null, null, bucket, made.file().key(), made.file().sizeBytes(),
                made.file().durationMs(), clock.instant())), registry, p.concurrency(), p.queue());
    }

    @Bean
    RecordingFinished recordingFinished(CompositeProperties p, CompositeService composites) {
        if (!p.enabled()) {
            log.info("composites are off (rendezvous.recorder.composite.enabled=false)");
            return f -> Mono.empty();
        }
        return composites::apply;
    }

    /** Finishes recordings whose forwarder went away without an end marker. */
    @Bean(destroyMethod = "dispose")
    Disposable idleRecordingTimer(RecordingAssembler assembler) {
        return Flux.interval(IDLE_CHECK, IDLE_CHECK, Schedulers.single())
                .subscribe(t -> {
                    try {
                        assembler.expireIdle();
                    } catch (RuntimeException e) {
                        log.warn("finishing idle recordings failed", e);
                    }
                });
    }
}
