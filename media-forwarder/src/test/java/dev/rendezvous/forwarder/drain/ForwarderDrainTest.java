package dev.rendezvous.forwarder.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ForwarderDrainTest {

    private final AtomicInteger rooms = new AtomicInteger(2);

    @Test
    void shouldSayDrainingAndEndWhenTheLastRoomHasGone() throws Exception {
        ForwarderDrain drain = new ForwarderDrain(rooms::get, Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofSeconds(30));
        assertThat(drain.draining()).isFalse();

        CompletableFuture<ForwarderDrain.Outcome> done = drain.begin();
        assertThat(drain.draining()).isTrue();
        assertThat(drain.begin()).as("idempotent").isSameAs(done);
        rooms.set(1);
        assertThat(done).isNotDone();
        rooms.set(0);
        assertThat(done.get(5, TimeUnit.SECONDS)).isEqualTo(ForwarderDrain.Outcome.EMPTY);
    }

    @Test
    void shouldGiveUpAfterTheTimeout() throws Exception {
        ForwarderDrain drain = new ForwarderDrain(rooms::get, Duration.ofMillis(300), Duration.ofMillis(20), Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        // rooms keep leaving one by one (never stalled) but never all
        CompletableFuture<ForwarderDrain.Outcome> done = drain.begin();
        rooms.set(1_000);
        Thread mover = new Thread(() -> {
            while (!done.isDone()) {
                rooms.decrementAndGet();
                Thread.onSpinWait();
            }
        });
        mover.start();
        assertThat(done.get(5, TimeUnit.SECONDS)).isIn(ForwarderDrain.Outcome.TIMED_OUT, ForwarderDrain.Outcome.EMPTY);
        mover.join();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldEndWhenNoRoomMovesAwayForTheStallPeriod() throws Exception {
        ForwarderDrain drain = new ForwarderDrain(rooms::get, Duration.ofSeconds(60), Duration.ofMillis(20), Duration.ofMillis(300));
        assertThat(drain.begin().get(5, TimeUnit.SECONDS)).isEqualTo(ForwarderDrain.Outcome.STALLED);
    }

    @Test
    void shouldHoldSpringsShutdownUntilTheDrainIsOver() throws Exception {
        ForwarderDrain drain = new ForwarderDrain(rooms::get, Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofSeconds(30));
        drain.start();
        AtomicBoolean stopped = new AtomicBoolean();
        drain.stop(() -> stopped.set(true));
        assertThat(drain.draining()).isTrue();
        assertThat(stopped).isFalse();
        assertThat(drain.isRunning()).isTrue();
        rooms.set(0);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(stopped);
        assertThat(drain.isRunning()).isFalse();
        assertThat(drain.getPhase()).isEqualTo(Integer.MAX_VALUE);
    }
}
