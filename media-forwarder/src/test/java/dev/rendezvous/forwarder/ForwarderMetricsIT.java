package dev.rendezvous.forwarder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.command.ForwarderCommandHandler;
import dev.rendezvous.forwarder.kafka.ForwarderKafka;
import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The forwarder as a real process (in this JVM, on a free port) against a real single-node Kafka broker:
 * it provisions the topics, publishes its metrics once a second and takes only the commands addressed to it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForwarderMetricsIT {

    private static final String ID = "fwd-it-1";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ConfigurableApplicationContext app;
    private static String baseUrl;
    private static String publicUrl;
    private static final List<ForwarderCommand> handled = new CopyOnWriteArrayList<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));

        ForwarderCommandHandler recording = handled::add;
        app = new SpringApplicationBuilder(MediaForwarderApplication.class)
                .main(MediaForwarderApplication.class)
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean("recordingCommandHandler",
                        ForwarderCommandHandler.class, () -> recording, bd -> bd.setPrimary(true)))
                .run("--server.port=0",
                        "--management.server.port=0",
                        "--rendezvous.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--rendezvous.forwarder.id=" + ID,
                        "--rendezvous.forwarder.region=it-region",
                        "--rendezvous.forwarder.capacity=150",
                        "--rendezvous.forwarder.udp-port=0");
        // the actuator's own port; server.port serves no actuator endpoint
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port");
        publicUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        awaitTrue("forwarder ready", () -> get("/actuator/health/readiness").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldPublishMetricsForThisForwarderAboutOnceASecond() {
        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            String topic = Topics.FORWARDER_METRICS.name();
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions); // steady state: what the running forwarder publishes from now on
            partitions.forEach(consumer::position);
            Instant deadline = Instant.now().plus(DEADLINE);
            while (mine.size() < 5 && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (ID.equals(r.key())) {
                        mine.add(r);
                    }
                }
            }
        }

        assertThat(mine).as("metrics records keyed %s", ID).hasSizeGreaterThanOrEqualTo(2);
        mine.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> r : mine) {
            ForwarderMetrics m = Topics.FORWARDER_METRICS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            assertThat(m.forwarderId()).isEqualTo(ID);
            assertThat(m.region()).isEqualTo("it-region");
            assertThat(m.capacity()).isEqualTo(150);
            assertThat(m.rooms()).isZero();
            assertThat(m.participants()).isZero();
            assertThat(m.streamsIn()).isZero();
            assertThat(m.streamsOut()).isZero();
            assertThat(m.packetsInPerSec()).isZero();
            assertThat(m.packetsOutPerSec()).isZero();
            assertThat(m.lossRatio()).isZero();
            assertThat(m.cpuLoad()).isBetween(0.0, 1.0);
            assertThat(m.at().toEpochMilli()).as("record timestamp = at").isEqualTo(r.timestamp());
            assertThat(m.at()).isBetween(now.minus(Duration.ofMinutes(1)), now.plusSeconds(1));
        }
        // spacing from the records' own timestamps (not wall-clock waits): ticks are fixed-rate, so the median gap
        // is the interval; a single gap may jitter, or be two intervals if one tick was dropped under load
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < mine.size(); i++) {
            gaps.add(mine.get(i).timestamp() - mine.get(i - 1).timestamp());
        }
        List<Long> sorted = gaps.stream().sorted().toList();
        assertThat(sorted.get(sorted.size() / 2)).as("median gap (ms) of %s", gaps).isBetween(850L, 1600L);
        assertThat(gaps).as("gaps (ms)").allSatisfy(g -> assertThat(g).isBetween(500L, 5000L));
    }

    @Test
    @Order(2)
    void shouldHandleCommandsForThisForwarderAndIgnoreOtherForwardersOnTheSamePartition() throws Exception {
        int partitions;
        try (Admin admin = broker.newAdmin()) {
            partitions = admin.describeTopics(List.of(Topics.FORWARDER_COMMANDS.name())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(Topics.FORWARDER_COMMANDS.name()).partitions().size();
        }
        int myPartition = ForwarderKafka.partitionForKey(ID, partitions);
        String other = null;
        for (int i = 0; other == null; i++) {
            if (ForwarderKafka.partitionForKey("fwd-other-" + i, partitions) == myPartition) {
                other = "fwd-other-" + i;
            }
        }

        RecordMetadata otherMeta;
        RecordMetadata mineMeta;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            otherMeta = producer.send(command(other, "meeting-of-other")).get(10, TimeUnit.SECONDS);
            mineMeta = producer.send(command(ID, "meeting-of-mine")).get(10, TimeUnit.SECONDS);
        }
        assertThat(otherMeta.partition()).as("the other forwarder's command shares our partition")
                .isEqualTo(mineMeta.partition()).isEqualTo(myPartition);

        awaitTrue("our command handled", () -> !handled.isEmpty());
        assertThat(handled).extracting(ForwarderCommand::meetingId).containsExactly("meeting-of-mine");
        assertThat(handled.get(0).kind()).isEqualTo(ForwarderCommand.Kind.OFFER);
        MeterRegistry registry = app.getBean(MeterRegistry.class);
        // the other command sits before ours on the same partition, so it was read (and ignored) first
        assertThat(registry.counter("rendezvous.forwarder.commands", "result", "ignored").count()).isEqualTo(1.0);
        assertThat(registry.counter("rendezvous.forwarder.commands", "result", "accepted").count()).isEqualTo(1.0);
    }

    @Test
    @Order(3)
    void shouldExposeProbesAndPrometheusMetrics() {
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"UP\"");
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("metricsPublisher").contains("commandIntake");
        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("rendezvous_forwarder_metrics_published_total",
                "rendezvous_forwarder_downlink_estimates", "rendezvous_forwarder_downlink_estimate_bits_per_second{statistic=\"median\"");
        assertThat(publicUrl).isNotEqualTo(baseUrl);
        assertThat(getFrom(publicUrl, "/actuator/prometheus").statusCode()).as("not on the public port").isEqualTo(404);
        assertThat(getFrom(publicUrl, "/actuator/health").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void shouldReportDownWhenMetricsCannotBePublishedForMoreThanFiveSeconds() {
        Instant stopping = Instant.now();
        broker.close(); // controlled shutdown; publishing fails from some moment during it

        awaitTrue("health DOWN after the broker stopped", () -> get("/actuator/health").statusCode() == 503);
        assertThat(Duration.between(stopping, Instant.now())).as("not before the 5 s threshold")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(get("/actuator/health").body()).contains("metricsPublisher");
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(get("/actuator/health/liveness").statusCode()).as("a Kafka outage is no reason to restart").isEqualTo(200);
    }

    private static ProducerRecord<String, byte[]> command(String forwarderId, String meetingId) {
        ForwarderCommand c = new ForwarderCommand(forwarderId, meetingId, "socket-1", "participant-1",
                ForwarderCommand.Kind.OFFER, dev.rendezvous.topics.model.MediaSignal.offer(dev.rendezvous.topics.model.MediaSignal.Pc.PUBLISH, "v=0", java.util.List.of()), Instant.now());
        return new ProducerRecord<>(Topics.FORWARDER_COMMANDS.name(), forwarderId,
                Topics.FORWARDER_COMMANDS.valueSerde().serializer().serialize(Topics.FORWARDER_COMMANDS.name(), c));
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static HttpResponse<String> get(String path) {
        return getFrom(baseUrl, path);
    }

    private static HttpResponse<String> getFrom(String base, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }

}
