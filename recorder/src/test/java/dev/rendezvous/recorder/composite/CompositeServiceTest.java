package dev.rendezvous.recorder.composite;

import static dev.rendezvous.recorder.composite.CompositeFixtures.frameRgb;
import static dev.rendezvous.recorder.composite.CompositeFixtures.participantFile;
import static dev.rendezvous.recorder.composite.CompositeFixtures.pixel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.assembly.FileStore;
import dev.rendezvous.recorder.assembly.LocalFileStore;
import dev.rendezvous.recorder.assembly.RecordingAssembler.Finished;
import dev.rendezvous.recorder.assembly.RecordingAssembler.Stored;
import dev.rendezvous.recorder.webm.MediaFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The composite job end to end over a {@link LocalFileStore}: stored participant files in, composite.webm
 * stored beside them and announced once the Mono completes; a broken input is counted, not thrown.
 */
class CompositeServiceTest {

    private static final long T0 = 1_765_000_000_000_000L;

    @TempDir
    static Path media;
    private static Path red;
    private static Path blue;

    @TempDir
    Path storeDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<CompositeService.Made> announced = new CopyOnWriteArrayList<>();
    private CompositeService service;

    @BeforeAll
    static void make() throws Exception {
        MediaFixtures.requireFfmpeg();
        red = participantFile(media, "red.webm", "red", 2, 440);
        blue = participantFile(media, "blue.webm", "blue", 2.5, 660);
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theFinishedRecordingsFilesBecomeOneCompositeStoredBesideThemAndAnnounced() throws Exception {
        LocalFileStore store = new LocalFileStore(storeDir);
        service = service(store);
        Stored a = put(store, "rec-9", "p-red", red, 2_000, T0);
        Stored b = put(store, "rec-9", "p-blue", blue, 2_500, T0 + 300_000);

        java.util.Set<Path> before = compositeTempDirs();   // a killed recorder (another test) may have left some
        service.apply(new Finished("rec-9", "m-9", List.of(a, b))).block(Duration.ofSeconds(120));

        assertThat(announced).as("announced when the Mono completed").hasSize(1);
        CompositeService.Made made = announced.get(0);
        assertThat(made.recordingId()).isEqualTo("rec-9");
        assertThat(made.meetingId()).isEqualTo("m-9");
        assertThat(made.file().key()).isEqualTo("rec-9/composite.webm");
        assertThat(made.file().durationMs()).isEqualTo(2_800);
        Path file = storeDir.resolve(made.file().key());
        assertThat(Files.size(file)).isEqualTo(made.file().sizeBytes());
        assertThat(MediaFixtures.probe(file, "-show_entries", "stream=codec_name")).containsExactly("vp8", "opus");
        double duration = Double.parseDouble(MediaFixtures.probe(file, "-show_entries", "format=duration").get(0));
        assertThat(duration).isBetween(2.3, 3.3);
        byte[] rgb = frameRgb(file, 1.0, 1280, 720);
        assertThat(pixel(rgb, 1280, 320, 360)[0]).as("red on the left").isGreaterThan(200);
        assertThat(pixel(rgb, 1280, 960, 360)[2]).as("blue on the right").isGreaterThan(200);
        assertThat(registry.get("rendezvous.recorder.composites").tag("outcome", "stored").counter().count()).isEqualTo(1);
        assertThat(compositeTempDirs()).as("temporary files removed").isSubsetOf(before);
    }

    /** The composite's temporary directories with an input in them. */
    private static java.util.Set<Path> compositeTempDirs() throws java.io.IOException {
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return left.filter(p -> p.getFileName().toString().startsWith("composite-"))
                    .filter(p -> Files.exists(p.resolve("in-0.webm"))).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void aBrokenInputIsCountedAndTheMonoStillCompletes() throws Exception {
        LocalFileStore store = new LocalFileStore(storeDir);
        service = service(store);
        Stored broken = new Stored("rec-8", "m-8", "p-x", "camera",
                new FileStore.StoredFile("rec-8/missing.webm", 100, 1_000), T0);

        service.apply(new Finished("rec-8", "m-8", List.of(broken))).block(Duration.ofSeconds(60));

        assertThat(announced).isEmpty();
        assertThat(registry.get("rendezvous.recorder.composites").tag("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(storeDir.resolve("rec-8/composite.webm")).doesNotExist();
    }

    private CompositeService service(FileStore store) {
        return new CompositeService(store, CompositeSettings.DEFAULT, made -> {
            announced.add(made);
            return Mono.empty();
        }, registry, 1, 10);
    }

    private static Stored put(FileStore store, String recording, String participant, Path source, long durationMs,
                              long start) throws Exception {
        FileStore.Target t = store.create(recording, participant + "-camera.webm");
        try (OutputStream o = t.stream()) {
            Files.copy(source, o);
        }
        return new Stored(recording, "m-9", participant, "camera", t.complete(durationMs), start);
    }
}
