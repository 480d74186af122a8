package org.drops.atm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.scheduling.SchedulingPolicy;
import org.junit.jupiter.api.Test;

class ReportsTest {

    static final Platform.PolicyInfo INTERVAL_CREDIT = new Platform.PolicyInfo("interval-credit", "paper 2.5", 0, 41, "org.drops.atm.upc");
    static final Platform.PolicyInfo GCRA = new Platform.PolicyInfo("gcra", "I.371", 0, 42, "org.drops.atm.upc.gcra");

    static ConnectionStatistics tx(String pvc, String policy) {
        return new ConnectionStatistics(PvcAddress.parse(pvc), Direction.TRANSMIT, Qos.parse("cbr:pcr=26041,sdu=8192"), policy,
                10_000_000, 174, 5, 40960, 855, 0, 0, 3, 1_000_000, 7, 6, 8e6,
                new GrantedPriority(SchedulingPolicy.FIFO, 10, 0, 1234, true, ""), 1);
    }

    @Test
    void aConnectionRowHasItsContractRateCreditIntervalPolicyWorkerAndOwner() {
        String table = Reports.connections(List.of(tx("0.0.100", "interval-credit")), Set.of("0.0.100/TRANSMIT"));
        String row = table.lines().skip(1).findFirst().orElseThrow();
        assertTrue(row.matches("0\\.0\\.100\\s+tx\\s+CBR\\s+pcr=26041 sdu=8192\\s+8\\.00\\s+5\\s+174 cells\\s+10\\.0 ms\\s+"
                + "interval-credit\\s+0\\s+3\\s+FIFO 10\\s+shell"), row);
    }

    @Test
    void theSelectedPolicyIsMarkedAndRunningConnectionsCounted() {
        String out = Reports.policies(List.of(INTERVAL_CREDIT, GCRA), Optional.of("gcra"), Optional.of(GCRA),
                List.of(tx("0.0.100", "gcra"), tx("0.0.101", "gcra")));
        assertTrue(out.matches("(?s).*\\n\\*\\s+gcra\\s+0\\s+org\\.drops\\.atm\\.upc\\.gcra\\s+I\\.371\\n.*"), out);
        assertTrue(out.contains("configured: policy.name = gcra in PID org.drops.atm.core\n"), out);
        assertTrue(out.contains("selected: gcra\n"), out);
        assertTrue(out.contains("in use: gcra: 2\n"), out);
    }

    @Test
    void aConfiguredPolicyThatIsNotInstalledNamesTheOneUsedInstead() {
        String out = Reports.policies(List.of(INTERVAL_CREDIT), Optional.of("gcra"), Optional.of(INTERVAL_CREDIT), List.of());
        assertTrue(out.contains("  gcra is not installed: the highest-ranked, interval-credit, is used until it is\n"), out);
        String none = Reports.policies(List.of(), Optional.empty(), Optional.empty(), List.of());
        assertTrue(none.startsWith("no policing policy is installed"), none);
        assertTrue(none.contains("configured: policy.name is not set"), none);
    }

    @Test
    void contractsInBrief() {
        assertEquals("pcr=100000 scr=10000 mbs=1000 sdu=65535", Reports.contract(Qos.parse("rt-vbr:pcr=100000,scr=10000,mbs=1000").tx()));
        assertEquals("sdu=4096", Reports.contract(Qos.parse("ubr:sdu=4096").tx()));
        assertEquals("pcr=20000 cdv=2000us sdu=65535", Reports.contract(Qos.parse("cbr:pcr=20000,cdv=2000").tx()));
        assertEquals("none", Reports.contract(Qos.parse("ubr:tx:none").tx()));
    }
}
