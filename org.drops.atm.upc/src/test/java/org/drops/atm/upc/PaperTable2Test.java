package org.drops.atm.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

/**
 * The parameter columns of the paper's Table 2 ("Precision of UPC and policing algorithm for concurrent
 * real-time write()"), from contracts as a client would state them: the SDU rate as a cell rate of AAL5 PDUs,
 * the default delay-variation tolerance (so 10 PDUs per interval).
 *
 * <pre>
 * rate (B/s)  rate (Mbps)  data size (B)  interval (ms)  credits (B)
 * 8·10⁶       61.03        8192           10             79990
 * 3·10⁶       22.89        4096           13             39000
 * </pre>
 *
 * The paper's "Mbps" are 2²⁰ bit/s, its intervals whole milliseconds (its clock ticked in ms), its credits bytes
 * of SDU. Here credits are cells (the contract's unit, AAL5 trailer and padding included); an interval holds
 * exactly 10 PDUs and lasts exactly as long as the rate needs for them; the paper's interval column is that,
 * truncated to whole ms, and its credit column is rate × its truncated interval.
 */
class PaperTable2Test {

    private static final long SECOND = 1_000_000_000L;

    private final IntervalCreditPolicy policy = new IntervalCreditPolicy();

    private void row(long bytesPerSecond, double paperMbps, int sduBytes, long paperIntervalMs, long paperCreditBytes,
            int cellsPerSdu, int cellsPerSecond) {
        assertEquals(paperMbps, bytesPerSecond * 8.0 / (1 << 20), 0.006, "the rate column is in 2^20 bit/s (61.035, 22.888)");
        assertEquals(cellsPerSdu, CellRates.aal5CellsPerSdu(sduBytes));
        int cps = CellRates.aal5CellsPerSecond(bytesPerSecond, sduBytes);
        assertEquals(cellsPerSecond, cps);

        Meter meter = policy.newMeter(TrafficParameters.cbr(cps, sduBytes), Aal.AAL5, Direction.TRANSMIT, 0);

        // interval: 10 PDUs (paper 3.2, the default case), as long as the rate needs for them
        assertEquals(10L * cellsPerSdu, meter.creditCellsPerInterval());
        double intervalSeconds = meter.intervalNanos() / 1e9;
        assertEquals(paperIntervalMs, (long) (intervalSeconds * 1000), "the paper's interval column: whole ms");
        // credits = rate × interval, in cells (the interval is rounded up to a whole ns: less than a cell)
        assertEquals(cps * intervalSeconds, meter.creditCellsPerInterval(), 0.01);
        // ... which are the SDU bytes of 10 PDUs, = the SDU rate × interval
        assertEquals(bytesPerSecond * intervalSeconds, 10.0 * sduBytes, sduBytes * 1e-3);
        // the paper's credit column is the byte rate × its truncated interval (79990 for 80000: its rounding)
        long paperRateTimesInterval = bytesPerSecond * paperIntervalMs / 1000;
        assertTrue(Math.abs(paperRateTimesInterval - paperCreditBytes) <= paperRateTimesInterval / 5000,
                paperRateTimesInterval + " vs " + paperCreditBytes);

        // and a "dumb" writer sending in a tight loop gets the requested rate: 10 s of simulated time
        long cells = SimulatedWriter.greedy(meter, 0, 10 * SECOND, cellsPerSdu);
        double sduBytesPerSecond = cells / cellsPerSdu * (double) sduBytes / 10;
        assertEquals(bytesPerSecond, sduBytesPerSecond, bytesPerSecond * 0.002,
                "the rate sent: the paper measured 60.98 and 22.91 Mbps");
    }

    @Test
    void eightMillionBytesPerSecondOf8192ByteSdusGetsAbout10MsAnd10Pdus() {
        row(8_000_000, 61.03, 8192, 10, 79_990, 171, 166_993);
    }

    @Test
    void threeMillionBytesPerSecondOf4096ByteSdusGetsAbout13Ms() {
        row(3_000_000, 22.89, 4096, 13, 39_000, 86, 62_989);
    }
}
