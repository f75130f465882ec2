package dev.petlet.core.pod;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiServerAddressesTest {
    @Test
    void loopbackHostsAreReplacedByTheNodeAddressOthersAreKept() {
        assertThat(ApiServerAddresses.isLoopback("127.0.0.1")).isTrue();
        assertThat(ApiServerAddresses.isLoopback("localhost")).isTrue();
        assertThat(ApiServerAddresses.isLoopback("::1")).isTrue();
        assertThat(ApiServerAddresses.isLoopback("10.0.0.1")).isFalse();
        assertThat(ApiServerAddresses.isLoopback("api.example.com")).isFalse();
    }
}
