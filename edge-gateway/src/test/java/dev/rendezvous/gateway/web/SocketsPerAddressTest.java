package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SocketsPerAddressTest {

    @Test
    void countsOpenSocketsPerAddressAndForgetsAddressesWithNone() {
        SocketsPerAddress s = new SocketsPerAddress(2);
        s.opened("s1", "10.0.0.1");
        assertThat(s.allows("10.0.0.1")).isTrue();
        s.opened("s2", "10.0.0.1");
        assertThat(s.allows("10.0.0.1")).isFalse();
        assertThat(s.allows("10.0.0.2")).isTrue();
        s.closed("s1", "10.0.0.1");
        assertThat(s.allows("10.0.0.1")).isTrue();
        s.closed("s2", "10.0.0.1");
        s.closed("s2", "10.0.0.1"); // a second close changes nothing
        assertThat(s.open("10.0.0.1")).isZero();
    }

    @Test
    void refusesANonPositiveCap() {
        assertThatThrownBy(() -> new SocketsPerAddress(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sockets-per-address");
    }
}
