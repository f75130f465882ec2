package dev.petlet.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SystemHostDefaultsTest {
    private static final String HEADER =
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

    @Test
    void picksTheDefaultRouteWithTheLowestMetric() {
        List<String> routes = List.of(
                HEADER,
                "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
                "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0",
                "eth0\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0");

        assertThat(SystemHostDefaults.defaultRouteInterface(routes)).contains("eth0");
    }

    @Test
    void ignoresRoutesThatAreDownOrNotDefault() {
        List<String> routes = List.of(
                HEADER,
                "eth0\t00000000\t0100000A\t0002\t0\t0\t100\t00000000\t0\t0\t0",
                "eth1\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0");

        assertThat(SystemHostDefaults.defaultRouteInterface(routes)).isEmpty();
        assertThat(SystemHostDefaults.defaultRouteInterface(List.of())).isEmpty();
    }

    @Test
    void findsSomethingOnThisMachine() {
        SystemHostDefaults host = new SystemHostDefaults();

        assertThat(host.hostname()).isNotBlank();
        assertThat(host.primaryIPv4())
                .hasValueSatisfying(
                        ip -> assertThat(ConfigParser.isIpAddress(ip)).isTrue());
    }
}
