package dev.rendezvous.recorder.config;

import dev.rendezvous.recorder.assembly.RecordingAssembler.Finished;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** What happens once a recording is finished (the composite); its Mono completes when that is durable. */
@FunctionalInterface
public interface RecordingFinished extends Function<Finished, Mono<Void>> {
}
