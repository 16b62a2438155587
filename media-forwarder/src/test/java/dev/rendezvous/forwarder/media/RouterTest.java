package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The routing table: each producer's consumers, each subscriber's consumers, kept in step. */
class RouterTest {

    private final Router router = new Router("m");

    @Test
    void shouldKeepEachProducersRowAndEachSubscribersListInStep() {
        Peer a = new Peer(router, "A", "pa");
        Peer b = new Peer(router, "B", "pb");
        Peer c = new Peer(router, "C", "pc");
        router.addPeerLocked(a);
        router.addPeerLocked(b);
        router.addPeerLocked(c);
        Producer cam = new Producer(a, TrackSource.CAMERA, TrackKind.VIDEO, 1);
        a.producers = new Producer[] {cam};
        Consumer toB = new Consumer(b, cam, 11, 0, 0, new RetransmitBudget(1, 1, 1));
        Consumer toC = new Consumer(c, cam, 12, 0, 0, new RetransmitBudget(1, 1, 1));
        router.attachLocked(toB);
        router.attachLocked(toC);
        assertThat(cam.consumers).containsExactly(toB, toC);
        assertThat(b.consumerBySsrc(11)).isSameAs(toB);
        assertThat(router.producersExceptLocked(b)).containsExactly(cam);
        assertThat(router.producersExceptLocked(a)).isEmpty();

        router.detachLocked(toB);
        assertThat(toB.closed).isTrue();
        assertThat(cam.consumers).containsExactly(toC);
        assertThat(b.consumers).isEmpty();

        router.removePeerLocked(c);
        assertThat(router.peers).containsExactly(a, b);
    }
}
