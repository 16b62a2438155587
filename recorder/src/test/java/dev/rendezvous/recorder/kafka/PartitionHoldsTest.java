package dev.rendezvous.recorder.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The committable offset of each partition: held back to the first chunk of the oldest unfinished holder. */
class PartitionHoldsTest {

    private final PartitionHolds holds = new PartitionHolds();

    private void process(int partition, long from, long to) {
        for (long o = from; o <= to; o++) {
            holds.processed(partition, o);
        }
    }

    @Test
    void withNothingHeldEverythingProcessedIsCommittable() {
        assertThat(holds.safeOffset(0)).isEqualTo(OptionalLong.empty());
        process(0, 0, 9);
        assertThat(holds.safeOffset(0)).hasValue(10);
        assertThat(holds.heldBack(0)).isZero();
    }

    @Test
    void anOpenHolderHoldsItsPartitionAtItsFirstOffsetUntilReleased() {
        process(0, 0, 4);
        holds.hold("rec-1/p-camera.webm", 0, 5);
        holds.processed(0, 5);
        holds.hold("rec-2/q-camera.webm", 0, 8);
        process(0, 6, 20);
        holds.hold("rec-1/p-camera.webm", 0, 12);   // held again: the first offset counts
        assertThat(holds.safeOffset(0)).hasValue(5);
        assertThat(holds.heldBack(0)).isEqualTo(16);
        assertThat(holds.safeOffset(1)).isEmpty();   // other partitions are not affected

        holds.release("rec-2/q-camera.webm");
        assertThat(holds.safeOffset(0)).as("the older holder still holds").hasValue(5);
        holds.release("rec-1/p-camera.webm");
        assertThat(holds.safeOffset(0)).hasValue(21);
        assertThat(holds.held("rec-1/p-camera.webm")).isFalse();
    }

    @Test
    void theSafeOffsetNeverStopsInsideAReleasedHoldersRange() {
        // a file of rec-1 from 0 to 10 (stored), a file of rec-2 still open from 5: committing 5 would make a
        // restart read only the tail of rec-1's file; the offset goes back to 0 until 5 is past
        holds.hold("rec-1", 0, 0);
        process(0, 0, 4);
        holds.hold("rec-2", 0, 5);
        process(0, 5, 10);
        holds.release("rec-1");
        assertThat(holds.safeOffset(0)).hasValue(0);
        process(0, 11, 15);
        holds.release("rec-2");
        assertThat(holds.safeOffset(0)).hasValue(16);
    }

    @Test
    void aKeyHeldAgainAfterItsReleaseKeepsItsEarlierRangeInForce() {
        holds.hold("rec-1", 0, 0);
        process(0, 0, 3);
        holds.hold("rec-2", 0, 2);
        holds.release("rec-1");           // rec-1 ran 0..3
        process(0, 4, 6);
        holds.hold("rec-1", 0, 7);        // rec-1 again (someone came back)
        process(0, 7, 8);
        assertThat(holds.safeOffset(0)).as("2 is inside rec-1's first range").hasValue(0);
        holds.release("rec-2");
        holds.release("rec-1");
        assertThat(holds.safeOffset(0)).hasValue(9);
    }

    @Test
    void aDroppedPartitionForgetsItsHoldsAndProgress() {
        holds.hold("rec-1", 3, 7);
        holds.hold("rec-2", 4, 1);
        process(3, 7, 9);
        process(4, 1, 2);
        assertThat(holds.drop(3)).containsExactly("rec-1");
        assertThat(holds.safeOffset(3)).isEmpty();
        assertThat(holds.held("rec-1")).isFalse();
        holds.release("rec-1");   // a late release (e.g. a composite finishing) is ignored
        assertThat(holds.safeOffset(4)).hasValue(1);
    }

    @Test
    void workAfterARecordingEndsCanHoldFromTheRecordingsFirstChunk() {
        holds.hold("rec-1", 2, 40);
        process(2, 40, 50);
        assertThat(holds.holdAlongside("rec-1/composite", "rec-1")).isTrue();
        holds.release("rec-1");
        assertThat(holds.safeOffset(2)).as("the composite is not stored yet").hasValue(40);
        holds.release("rec-1/composite");
        assertThat(holds.safeOffset(2)).hasValue(51);
        assertThat(holds.holdAlongside("rec-2/composite", "rec-2")).isFalse();
    }
}
