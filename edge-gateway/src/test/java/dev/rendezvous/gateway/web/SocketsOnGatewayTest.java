package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SocketsOnGatewayTest {

    @Test
    void countsEverySocketWhateverItsAddressAndCountsACloseOnce() {
        SocketsOnGateway s = new SocketsOnGateway(2);
        s.opened("s1", "10.0.0.1");
        assertThat(s.allows()).isTrue();
        s.opened("s2", "10.0.0.2");
        assertThat(s.allows()).as("two sockets from two addresses fill a cap of 2").isFalse();
        s.closed("s1", "10.0.0.1");
        s.closed("s1", "10.0.0.1"); // a second close of the same socket frees nothing more
        assertThat(s.open()).isEqualTo(1);
        assertThat(s.allows()).isTrue();
        s.opened("s3", "10.0.0.1");
        assertThat(s.allows()).isFalse();
    }

    @Test
    void refusesANonPositiveCap() {
        assertThatThrownBy(() -> new SocketsOnGateway(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sockets-per-gateway");
    }
}
