package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedForFilterTest {

    private static String last(String... headers) {
        var a = ForwardedForFilter.lastForwarded(List.of(headers));
        return a == null ? null : a.getAddress().getHostAddress();
    }

    @Test
    void theProxysEntryWinsOverWhatTheClientClaimed() {
        assertThat(last("1.2.3.4, 10.0.0.7")).isEqualTo("10.0.0.7");
        assertThat(last("1.2.3.4", "198.51.100.2")).as("the last header line").isEqualTo("198.51.100.2");
        assertThat(last(" 2001:db8::1 ")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(last("1.2.3.4, [2001:db8::2]")).isEqualTo("2001:db8:0:0:0:0:0:2");
    }

    @Test
    void aValueThatIsNoAddressLeavesTheConnectionsAddress() {
        assertThat(last("1.2.3.4, example.com")).as("never a name lookup").isNull();
        assertThat(last("1.2.3.4, ")).isNull();
        assertThat(last("unknown")).isNull();
        assertThat(ForwardedForFilter.lastForwarded(null)).isNull();
        assertThat(ForwardedForFilter.lastForwarded(List.of())).isNull();
    }
}
