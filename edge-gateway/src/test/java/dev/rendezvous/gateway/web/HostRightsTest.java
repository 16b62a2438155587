package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the gateway reads a LIST's answer for the requester's host rights. */
class HostRightsTest {

    private static HostEvent listed(Role rights, HostEvent.Person... people) {
        return HostEvent.result("r1", HostActionRequest.Action.LIST, HostEvent.Outcome.APPLIED, null, null, List.of(people))
                .withRights(rights);
    }

    private static HostEvent.Person in(String id, Role role) {
        return new HostEvent.Person(id, id, role, HostEvent.State.IN);
    }

    @Test
    void shouldTakeTheRightsTheRoomProcessorGivesWhoeverIsInTheRoom() {
        assertThat(HostRights.named(listed(Role.COHOST), "u:cora")).as("a co-host who left").isTrue();
        assertThat(HostRights.named(listed(Role.HOST), "u:hana")).isTrue();
        assertThat(HostRights.named(listed(Role.USER, in("u:cora", Role.COHOST)), "u:cora"))
                .as("the answer's rights decide, not the list").isFalse();
    }

    @Test
    void shouldLookInTheListWhenAnOlderRoomProcessorGivesNoRights() {
        assertThat(HostRights.named(listed(null, in("u:cora", Role.COHOST), in("u:ali", Role.USER)), "u:cora")).isTrue();
        assertThat(HostRights.named(listed(null, in("u:cora", Role.COHOST), in("u:ali", Role.USER)), "u:ali")).isFalse();
        assertThat(HostRights.named(listed(null), "u:cora")).as("not in the room").isFalse();
        assertThat(HostRights.named(HostEvent.result("r1", HostActionRequest.Action.LIST, HostEvent.Outcome.APPLIED,
                null, null, null), "u:cora")).isFalse();
    }
}
