package dev.herald.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListenOverflowsTest {
    @Test
    void theCountIsReadFromTheTcpExtValueLineUnderItsName() {
        List<String> netstat = List.of(
                "TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops",
                "TcpExt: 0 0 1234 1240",
                "IpExt: InNoRoutes ListenOverflows",
                "IpExt: 7 9");
        assertEquals(1234, ListenOverflows.parse(netstat));
    }

    @Test
    void aFileWithoutTheCounterAnswersMinusOne() {
        assertEquals(-1, ListenOverflows.parse(List.of("IpExt: InNoRoutes", "IpExt: 7")));
    }
}
