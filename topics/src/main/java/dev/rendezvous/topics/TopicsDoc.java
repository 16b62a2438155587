package dev.rendezvous.topics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Renders the catalogue for people ({@code docs/topics.md}) and for the Helm chart
 * ({@code helm/rendezvous/files/topics.yaml}). {@code TopicsDocTest} fails when a committed file is stale;
 * regenerate with {@code mvn -q -pl topics exec:java} or by running {@link #main} from the repo root.
 */
public final class TopicsDoc {

    public static final String MARKDOWN_PATH = "docs/topics.md";
    public static final String HELM_PATH = "helm/rendezvous/files/topics.yaml";

    private TopicsDoc() {}

    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Topics\n\n")
         .append("<!-- generated from topics/src/main/java/dev/rendezvous/topics/Topics.java by TopicsDoc; do not edit -->\n\n")
         .append("Every interaction between services travels on one of these topics. Keys are UTF-8 strings. Values are\n")
         .append("JSON (readable with `kafka-console-consumer`), except media chunks, which are bytes. Each topic has one\n")
         .append("writer. The provisioner (`TopicProvisioner`) creates missing topics and sets these configs at every\n")
         .append("service's start (unless `rendezvous.kafka.provision-topics` is off: the Helm chart's hook job does it\n")
         .append("instead); it adds partitions when the catalogue asks for more and never removes any.\n\n")
         .append("| topic | key | value | partitions (embedded / production) | cleanup | retention | writer | readers |\n")
         .append("|---|---|---|---|---|---|---|---|\n");
        for (TopicSpec<?> t : Topics.ALL) {
            b.append("| `").append(t.name()).append("` | ").append(t.key()).append(" | ")
             .append(t.binary() ? "bytes" : "`" + t.valueType().getSimpleName() + "` (JSON)").append(" | ")
             .append(t.partitions()).append(" / ").append(t.productionPartitions()).append(" | ")
             .append(t.cleanup().config()).append(" | ")
             .append(human(t.retention())).append(t.cleanup() == CleanupPolicy.COMPACT ? " (tombstones)" : "").append(" | ")
             .append(t.writer().id()).append(" | ")
             .append(t.readers().isEmpty() ? "– (operators, tools)"
                     : t.readers().stream().map(Service::id).sorted().collect(Collectors.joining(", "))).append(" |\n");
        }
        b.append("\n## What each topic carries\n\n");
        for (TopicSpec<?> t : Topics.ALL) {
            b.append("- `").append(t.name()).append("`: ").append(t.description()).append('\n');
        }
        b.append(access());
        b.append(analyticsEvents());
        b.append("\n## Sizing\n\n")
         .append("Room-keyed topics share one partition count so that a room's whole control stream sits on the same\n")
         .append("partition number of each (Kafka Streams co-partitioning). The seed's worldwide peak is ~5.8 k joins/s and\n")
         .append("~2.9 k chat messages/s; one stream-apps task handles several thousand records/s, so the peak itself needs\n")
         .append("few partitions. The production figure (").append(Topics.ROOM_PARTITIONS_PRODUCTION)
         .append(") is chosen for parallelism and headroom instead: up to that many stream-apps\n")
         .append("instances per region, rooms spread evenly, and no repartitioning as the fleet grows (partitions can only be\n")
         .append("added, and adding them moves keys). `gateway.delivery.requested` has one partition per gateway slot\n")
         .append("(a gateway reads exactly its own partition), so its count bounds the gateways per region.\n");
        return b.toString();
    }

    /** Which topics each service writes and reads: the topic rights of its Kafka principal on a secured cluster. */
    static String access() {
        StringBuilder b = new StringBuilder();
        b.append("\n## Access per service\n\n")
         .append("The topic rights each service's Kafka principal needs on a secured cluster, from the catalogue's writers and\n")
         .append("readers (WRITE includes the producer's DESCRIBE; READ the consumer's). Consumer groups, Kafka Streams' own\n")
         .append("topics and the rights of provisioning are in `docs/operations.md` (\"Kafka ACLs\").\n\n")
         .append("| service | WRITE | READ |\n|---|---|---|\n");
        for (Service s : Service.values()) {
            b.append("| ").append(s.id()).append(" | ")
             .append(names(Topics.ALL.stream().filter(t -> t.writer() == s))).append(" | ")
             .append(names(Topics.ALL.stream().filter(t -> t.readers().contains(s)))).append(" |\n");
        }
        return b.toString();
    }

    private static String names(java.util.stream.Stream<TopicSpec<?>> topics) {
        String joined = topics.map(t -> "`" + t.name() + "`").sorted().collect(Collectors.joining(", "));
        return joined.isEmpty() ? "–" : joined;
    }

    /** The JSON form of the analytics events, from their records (so that it cannot drift from them). */
    static String analyticsEvents() {
        StringBuilder b = new StringBuilder();
        b.append("\n## Analytics events\n\n")
         .append("`analytics.event.recorded` and `media.quality.sampled` carry `AnalyticsEvent`s: one JSON object per event,\n")
         .append("its `kind` first, then the fields of that kind. Every event has `eventId` (derived from what the event is\n")
         .append("about, e.g. the meeting and socket of a join, so that a replayed or repeated event has the same id and the\n")
         .append("analytics store counts it once), `meetingId` and `at` (ISO-8601). Null fields are left out; unknown fields\n")
         .append("are ignored by readers; a record without a known `kind` is skipped by the sink (and counted).\n\n")
         .append("| kind | fields |\n|---|---|\n");
        com.fasterxml.jackson.annotation.JsonSubTypes subtypes =
                dev.rendezvous.topics.model.AnalyticsEvent.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class);
        for (com.fasterxml.jackson.annotation.JsonSubTypes.Type t : subtypes.value()) {
            b.append("| `").append(t.name()).append("` | ")
             .append(java.util.Arrays.stream(t.value().getRecordComponents())
                     .map(c -> "`" + c.getName() + "` " + c.getType().getSimpleName())
                     .collect(Collectors.joining(", ")))
             .append(" |\n");
        }
        b.append("\nExample: `{\"kind\":\"participant_left\",\"eventId\":\"…\",\"meetingId\":\"…\",\"at\":\"2026-12-05T10:01:30Z\",")
         .append("\"participantId\":\"u1\",\"socketId\":\"s1\",\"joinedAt\":\"2026-12-05T10:00:00Z\",\"durationMs\":90000,")
         .append("\"reason\":\"LEFT\"}`. `reason` is `LEFT` or `MEETING_ENDED`; `action` a host action (`MUTE`, `REMOVE`, …; not\n")
         .append("`LIST`, hands or reactions); `lossRatio` and `forwarderCpu` are 0..1; `layer` is -1 when unknown. The sink's tables\n")
         .append("are in ARCHITECTURE.md (\"Analytics\").\n");
        return b.toString();
    }

    public static String helmYaml() {
        StringBuilder b = new StringBuilder();
        b.append("# generated from the topic catalogue (TopicsDoc); do not edit\n");
        b.append("topics:\n");
        for (TopicSpec<?> t : Topics.ALL) {
            b.append("  - name: ").append(t.name()).append('\n')
             .append("    partitions: ").append(t.productionPartitions()).append('\n')
             .append("    writer: ").append(t.writer().id()).append('\n')
             .append("    configs:\n");
            t.configs().forEach((k, v) -> b.append("      ").append(k).append(": \"").append(v).append("\"\n"));
        }
        return b.toString();
    }

    private static String human(Duration d) {
        if (d.toDays() > 0 && d.toHours() % 24 == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() > 0 && d.toMinutes() % 60 == 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toMinutes() + " min";
    }

    /** Writes both files under the given repo root (default: the current directory's parent if run in topics/). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        if (!Files.exists(root.resolve("topics/pom.xml")) && Files.exists(root.resolve("../topics/pom.xml"))) {
            root = root.getParent();
        }
        write(root.resolve(MARKDOWN_PATH), markdown());
        write(root.resolve(HELM_PATH), helmYaml());
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        System.out.println("wrote " + p);
    }
}
