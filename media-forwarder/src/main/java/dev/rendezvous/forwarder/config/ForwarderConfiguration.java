package dev.rendezvous.forwarder.config;

import dev.rendezvous.forwarder.drain.DrainEndpoint;
import dev.rendezvous.forwarder.drain.DrainedExit;
import dev.rendezvous.forwarder.drain.ForwarderDrain;
import dev.rendezvous.forwarder.command.CommandIntake;
import dev.rendezvous.forwarder.command.ForwarderCommandHandler;
import dev.rendezvous.forwarder.command.SfuCommandHandler;
import dev.rendezvous.forwarder.media.MediaConfig;
import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.forwarder.media.StageCounters;
import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import dev.rendezvous.forwarder.media.dtls.DtlsServerEndpoint;
import dev.rendezvous.topics.KafkaConnectionProperties;
import io.micrometer.core.instrument.FunctionCounter;
import dev.rendezvous.forwarder.kafka.ForwarderKafka;
import dev.rendezvous.forwarder.kafka.RecordingKafka;
import dev.rendezvous.forwarder.media.ForwarderStats;
import dev.rendezvous.forwarder.metrics.CpuLoad;
import dev.rendezvous.forwarder.metrics.MetricsPublisher;
import dev.rendezvous.forwarder.metrics.QualitySamplePublisher;
import dev.rendezvous.forwarder.metrics.MetricsSnapshotBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The composition root. The media plane ({@link MediaEngine}: UDP socket, packet thread, DTLS pool) is
 * built and started here, before the command consumer; {@link SfuCommandHandler} connects it to Kafka in both
 * directions. Replacing a part means replacing its bean (tests register a {@code @Primary}
 * {@link ForwarderCommandHandler} to see the commands instead of acting on them).
 *
 * <p>Health contributors (both also in the readiness group, see {@code application.yml}):
 * {@code metricsPublisher} — DOWN when publishing has failed for longer than
 * {@code rendezvous.forwarder.metrics-failure-threshold}; {@code commandIntake} — UP once the command
 * partition is assigned.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ForwarderProperties.class, KafkaConnectionProperties.class})
public class ForwarderConfiguration {

    /** How often each participant's quality goes to analytics. */
    static final java.time.Duration QUALITY_SAMPLE_INTERVAL = java.time.Duration.ofSeconds(5);

    /** A drain ends when no room has moved away for this long (see {@link ForwarderDrain}). */
    static final java.time.Duration DRAIN_STALL = java.time.Duration.ofSeconds(5);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** This process's DTLS certificate (self-signed P-256; browsers pin it by the fingerprint in our SDP). */
    @Bean
    DtlsCertificate dtlsCertificate() {
        DtlsServerEndpoint.warmUp();
        warmUpHandshakes();
        return DtlsCertificate.generate();
    }

    /**
     * Two in-memory DTLS-SRTP handshakes before this forwarder reports itself: the first calls placed or moved here
     * (a failover goes to a standby that may have just started) then do not pay for a cold JVM's first handshake.
     */
    private static void warmUpHandshakes() {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ForwarderConfiguration.class);
        try {
            long[] took = dev.rendezvous.forwarder.media.dtls.DtlsWarmUp.run(2, java.time.Duration.ofSeconds(30));
            log.info("DTLS warm-up: handshakes took {} ms", java.util.Arrays.toString(took));
        } catch (Exception e) {
            log.warn("DTLS warm-up failed (the first handshakes will be slower): {}", e.toString());
        }
    }

    /** Commands → engine calls; engine reports → events on forwarder.event.emitted. */
    @Bean
    SfuCommandHandler sfuCommandHandler(ForwarderProperties p, ForwarderKafka kafka, Clock clock) {
        return new SfuCommandHandler(p.id(), event -> kafka.publishEvent(event).subscribe(null,
                e -> org.slf4j.LoggerFactory.getLogger(SfuCommandHandler.class)
                        .warn("event {} for meeting {} not sent: {}", event.kind(), event.meetingId(), e.toString())),
                clock);
    }

    /**
     * Subscribers' downlink estimates (transport-cc): how many, the lowest and the median, in bits per second; and
     * the video consumers by what they forward ({@code rendezvous_forwarder_video_consumers{state=paused|starting|
     * layer_0|layer_1|layer_2|single}}): what the layer allocation chose.
     */
    private static void downlinkGauges(MediaEngine engine, MeterRegistry registry) {
        for (String state : engine.videoConsumers().keySet()) {
            io.micrometer.core.instrument.Gauge.builder("rendezvous.forwarder.video.consumers", engine,
                            e -> e.videoConsumers().getOrDefault(state, 0))
                    .tags("state", state)
                    .description("video consumers: paused for a hidden tile, starting, on a simulcast layer (0 lowest),"
                            + " or forwarding a single-stream track").register(registry);
        }
        io.micrometer.core.instrument.Gauge.builder("rendezvous.forwarder.downlink.estimates", engine,
                        e -> e.downlinkEstimates().length)
                .description("subscribe connections with a transport-cc downlink estimate").register(registry);
        io.micrometer.core.instrument.Gauge.builder("rendezvous.forwarder.downlink.estimate", engine, e -> {
                    long[] v = e.downlinkEstimates();
                    return v.length == 0 ? Double.NaN : v[0];
                }).baseUnit("bits_per_second").tags("statistic", "min")
                .description("the subscribers' downlink estimates").register(registry);
        io.micrometer.core.instrument.Gauge.builder("rendezvous.forwarder.downlink.estimate", engine, e -> {
                    long[] v = e.downlinkEstimates();
                    return v.length == 0 ? Double.NaN : v[v.length / 2];
                }).baseUnit("bits_per_second").tags("statistic", "median")
                .description("the subscribers' downlink estimates").register(registry);
    }

    /** The SFU: binds the media socket at start (before the command consumer runs), closes it at stop. */
    @Bean(destroyMethod = "close")
    MediaEngine mediaEngine(ForwarderProperties p, DtlsCertificate certificate, SfuCommandHandler handler,
                            RecordingKafka recordings, MeterRegistry registry) throws java.io.IOException {
        MediaEngine engine = new MediaEngine(new MediaConfig(p.advertisedAddress(), p.bindAddress(), p.udpPort(),
                p.consentTimeout(), p.maxBitrateBps(), java.time.Duration.ofSeconds(10), p.capacity(),
                p.roomParticipantLimit(), p.answerTimeout(), p.tcpPort()), certificate, handler);
        engine.recordingChunks(recordings::publish);
        engine.start();
        handler.attach(engine);
        for (StageCounters.Counter c : engine.counters().all()) {
            FunctionCounter.builder("rendezvous.forwarder.stage.packets", c, StageCounters.Counter::value)
                    .description("packets each stage of the media path passed on or dropped, by outcome")
                    .tags("stage", c.stage(), "outcome", c.outcome())
                    .register(registry);
        }
        FunctionCounter.builder("rendezvous.forwarder.udp.packets.in", engine, MediaEngine::packetsIn)
                .description("datagrams received on the media socket").register(registry);
        FunctionCounter.builder("rendezvous.forwarder.udp.packets.out", engine, MediaEngine::packetsOut)
                .description("datagrams sent from the media socket").register(registry);
        io.micrometer.core.instrument.Gauge.builder("rendezvous.forwarder.tcp.connections", engine,
                        MediaEngine::tcpConnections)
                .description("ICE-TCP connections open (browsers whose network blocks UDP)").register(registry);
        FunctionCounter.builder("rendezvous.forwarder.packet.thread.cpu", engine,
                        e -> Math.max(0, e.packetThreadCpuNanos()) / 1e9)
                .baseUnit("seconds")
                .description("CPU time used by the media packet thread (receive, decrypt, forward, encrypt, send)")
                .register(registry);
        downlinkGauges(engine, registry);
        return engine;
    }


    @Bean
    CpuLoad cpuLoad() {
        return CpuLoad.ofThisProcess();
    }

    @Bean(destroyMethod = "close")
    ForwarderKafka forwarderKafka(KafkaConnectionProperties kafka, ForwarderProperties forwarder) {
        return new ForwarderKafka(kafka.connection(), "media-forwarder-" + forwarder.id());
    }

    /** Recording: start/stop requests in, captured chunks out. */
    @Bean(destroyMethod = "close")
    RecordingKafka recordingKafka(KafkaConnectionProperties kafka, ForwarderProperties forwarder,
                                  MeterRegistry registry) {
        RecordingKafka r = new RecordingKafka(kafka.connection(), "media-forwarder-" + forwarder.id(),
                forwarder.id());
        FunctionCounter.builder("rendezvous.forwarder.recording.chunks", r, RecordingKafka::chunksSent)
                .tag("result", "sent").description("recording chunks written to the chunk topic").register(registry);
        FunctionCounter.builder("rendezvous.forwarder.recording.chunks", r, RecordingKafka::chunksFailed)
                .tag("result", "failed").description("recording chunks the chunk topic did not take")
                .register(registry);
        return r;
    }

    @Bean
    MetricsSnapshotBuilder metricsSnapshotBuilder(ForwarderProperties p, ForwarderStats stats, CpuLoad cpu, Clock clock,
                                                  MeterRegistry registry) {
        MetricsSnapshotBuilder b = new MetricsSnapshotBuilder(p.id(), p.region(), p.capacity(), stats, cpu, clock);
        b.registerGauges(registry);
        return b;
    }

    /** Draining (SIGTERM or POST /actuator/drain): reported in the metrics, over when no room is left. */
    @Bean
    ForwarderDrain forwarderDrain(ForwarderProperties p, MediaEngine engine, MetricsSnapshotBuilder metrics) {
        ForwarderDrain drain = new ForwarderDrain(engine::roomCount, p.drainTimeout(),
                java.time.Duration.ofMillis(200), DRAIN_STALL);
        metrics.drainingFrom(drain::draining);
        return drain;
    }

    /** After a drain begun by the admin call: a normal shutdown (the drain lifecycle finds itself done), then exit. */
    @Bean
    DrainedExit drainedExit(org.springframework.context.ConfigurableApplicationContext context) {
        return () -> new Thread(() -> System.exit(org.springframework.boot.SpringApplication.exit(context, () -> 0)),
                "forwarder-drained-exit").start();
    }

    @Bean
    DrainEndpoint drainEndpoint(ForwarderDrain drain, DrainedExit exit) {
        return new DrainEndpoint(drain, exit);
    }

    @Bean(destroyMethod = "close")
    MetricsPublisher metricsPublisher(MetricsSnapshotBuilder builder, ForwarderKafka kafka, ForwarderProperties p,
                                      Clock clock, MeterRegistry registry) {
        return new MetricsPublisher(builder, kafka::publishMetrics, p.metricsInterval(), p.metricsFailureThreshold(),
                clock, registry);
    }

    /**
     * Each participant's quality every {@link #QUALITY_SAMPLE_INTERVAL} on {@code media.quality.sampled} (analytics),
     * on its own thread.
     */
    @Bean(initMethod = "start", destroyMethod = "close")
    QualitySamplePublisher qualitySamplePublisher(ForwarderProperties p, ForwarderStats stats,
                                                  MetricsSnapshotBuilder metrics, ForwarderKafka kafka, Clock clock,
                                                  MeterRegistry registry) {
        return new QualitySamplePublisher(p.id(), stats, metrics::last, kafka::publishQuality, QUALITY_SAMPLE_INTERVAL,
                clock, registry);
    }

    @Bean
    CommandIntake commandIntake(ForwarderProperties p, ForwarderCommandHandler handler, MediaEngine engine,
                                MeterRegistry registry) {
        // the engine parameter orders the start: the media socket is bound before the first command is read
        return new CommandIntake(p.id(), handler, registry);
    }

    @Bean
    ForwarderRuntime forwarderRuntime(KafkaConnectionProperties kafkaProperties, ForwarderKafka kafka,
                                      MetricsPublisher publisher, CommandIntake intake, RecordingKafka recordings,
                                      MediaEngine engine) {
        return new ForwarderRuntime(kafkaProperties, kafka, publisher, intake,
                () -> recordings.startControls(c -> {
                    switch (c.action()) {
                        case START -> engine.startRecording(c.meetingId(), c.recordingId());
                        case STOP -> engine.stopRecording(c.meetingId(), c.recordingId());
                    }
                }, () -> { }));
    }

    @Bean
    HealthIndicator metricsPublisherHealthIndicator(MetricsPublisher publisher) {
        return () -> {
            MetricsPublisher.Status s = publisher.status();
            Health.Builder b = s.healthy() ? Health.up() : Health.down();
            b.withDetail("published", s.published()).withDetail("failed", s.failed());
            if (s.lastPublished() != null) {
                b.withDetail("lastPublished", s.lastPublished().toString());
            }
            if (s.lastError() != null) {
                b.withDetail("lastError", s.lastError());
            }
            return b.build();
        };
    }

    @Bean
    HealthIndicator commandIntakeHealthIndicator(CommandIntake intake) {
        return () -> {
            CommandIntake.Status s = intake.status();
            Health.Builder b = s.ready() ? Health.up() : Health.down();
            b.withDetail("partition", s.partition())
                    .withDetail("accepted", s.accepted())
                    .withDetail("ignored", s.ignored())
                    .withDetail("failed", s.failed());
            if (s.lastError() != null) {
                b.withDetail("lastError", s.lastError());
            }
            return b.build();
        };
    }
}
