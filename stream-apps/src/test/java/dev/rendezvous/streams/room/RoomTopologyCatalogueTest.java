package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.Service;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The room processor reads and writes what the catalogue says stream-apps reads and writes: the catalogue's writers
 * and readers are the topic rights operators grant (docs/topics.md, "Access per service").
 */
class RoomTopologyCatalogueTest {

    @Test
    void shouldReadAndWriteOnlyWhatTheCatalogueGrantsStreamApps() {
        TopologyDescription d = RoomTopology.build(new StreamsBuilder(), RoomTopologyConfig.defaults()).build().describe();
        Set<String> read = new HashSet<>();
        Set<String> written = new HashSet<>();
        for (TopologyDescription.Subtopology sub : d.subtopologies()) {
            collect(sub.nodes(), read, written);
        }
        for (TopologyDescription.GlobalStore g : d.globalStores()) {
            read.addAll(g.source().topicSet());
        }
        Map<String, TopicSpec<?>> catalogue = Topics.byName();

        assertThat(read).as("every input is a catalogue topic").allSatisfy(t -> assertThat(catalogue).containsKey(t));
        assertThat(written).as("every output is a catalogue topic").allSatisfy(t -> assertThat(catalogue).containsKey(t));
        assertThat(read).allSatisfy(t -> assertThat(catalogue.get(t).readers()).as(t).contains(Service.STREAM_APPS));
        assertThat(written).allSatisfy(t -> assertThat(catalogue.get(t).writer()).as(t).isEqualTo(Service.STREAM_APPS));
        // and the other way: what the catalogue grants stream-apps is what the processor and the store pipelines use
        // (the chat store, the recordings' metadata and the analytics sink read these with consumers of their own;
        // listed here by hand, so a pipeline that changes its topics must change this list too)
        Set<String> pipelines = Set.of(Topics.CHAT_ACCEPTED.name(), Topics.RECORDING_CONTROL.name(),
                Topics.RECORDING_FILES.name(), Topics.ANALYTICS_EVENTS.name(), Topics.MEDIA_QUALITY.name());
        Set<String> used = new HashSet<>(read);
        used.addAll(pipelines);
        assertThat(Topics.ALL.stream().filter(t -> t.readers().contains(Service.STREAM_APPS)).map(TopicSpec::name))
                .containsExactlyInAnyOrderElementsOf(used);
        assertThat(Topics.ALL.stream().filter(t -> t.writer() == Service.STREAM_APPS).map(TopicSpec::name))
                .containsExactlyInAnyOrderElementsOf(written);
    }

    private static void collect(Set<TopologyDescription.Node> nodes, Set<String> read, Set<String> written) {
        for (TopologyDescription.Node n : nodes) {
            if (n instanceof TopologyDescription.Source s) {
                assertThat(s.topicPattern()).as(s.name() + ": a pattern's topics cannot be granted from the catalogue").isNull();
                read.addAll(s.topicSet());
            } else if (n instanceof TopologyDescription.Sink k) {
                assertThat(k.topic()).as(k.name() + ": a topic chosen per record cannot be granted from the catalogue").isNotNull();
                written.add(k.topic());
            }
        }
    }
}
