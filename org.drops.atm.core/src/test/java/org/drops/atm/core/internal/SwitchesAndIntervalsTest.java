package org.drops.atm.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.api.server.Connection;
import org.junit.jupiter.api.Test;

/** The transmit.policing switch and the per-interval counters of the worker (issue 9, experiments 4 and 6). */
class SwitchesAndIntervalsTest {

    private static final long SECOND = 1_000_000_000L;

    /** Fixed intervals of {@code intervalNanos} with {@code credit} cells each, no carry-over (the paper's scheme, §2.5). */
    private static final class FixedIntervalPolicy implements PolicingPolicy {
        final long intervalNanos;
        final long credit;

        FixedIntervalPolicy(long intervalNanos, long credit) {
            this.intervalNanos = intervalNanos;
            this.credit = credit;
        }

        @Override
        public String name() {
            return "fixed-test";
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public Meter newMeter(TrafficParameters contract, Aal aal, Direction direction, long startNanos) {
            return new Meter() {
                long end = startNanos + intervalNanos;
                long left = credit;

                @Override
                public long conform(long now, int cells) {
                    if (cells > credit) {
                        return NEVER;
                    }
                    if (now >= end) {
                        end = nextIntervalStartNanos(now);
                        left = credit;
                    }
                    if (cells <= left) {
                        left -= cells;
                        return CONFORMING;
                    }
                    return end - now;
                }

                @Override
                public long nextIntervalStartNanos(long now) {
                    return now < startNanos ? startNanos : startNanos + ((now - startNanos) / intervalNanos + 1) * intervalNanos;
                }

                @Override
                public long intervalNanos() {
                    return intervalNanos;
                }

                @Override
                public long creditCellsPerInterval() {
                    return credit;
                }

                @Override
                public long availableCells(long now) {
                    return now >= end ? credit : left;
                }
            };
        }
    }

    private static void send(Connection c, int bytes) throws Exception {
        int slot = c.txRing().claim(5 * SECOND);
        assertTrue(slot >= 0, "a transmit slot within 5 s");
        c.txRing().commit(slot, bytes);
    }

    private static ConnectionStatistics awaitPdus(Connection c, long pdus, long nanos) {
        long until = System.nanoTime() + nanos;
        while (c.statistics().pdus() < pdus && System.nanoTime() < until) {
            Thread.onSpinWait(); // the worker counts a PDU after the driver's send returns
        }
        return c.statistics();
    }

    @Test
    void noIntervalLetsMoreThanItsCreditThroughAndEveryIntervalIsCounted() throws Exception {
        try (TestPlatform p = new TestPlatform("intervals", Double.POSITIVE_INFINITY)) {
            // 10 ms intervals of 10 cells: 5 PDUs of 2 cells (88 bytes + the 8-byte trailer) per interval
            p.services.policy = new FixedIntervalPolicy(10_000_000L, 10);
            p.server.policiesChanged();
            Connection tx = p.server.open(PvcAddress.parse("0.0.100"), Qos.parse("cbr:pcr=1000,sdu=88"),
                    Direction.TRANSMIT, Aal.AAL5, "test");
            for (int i = 0; i < 150; i++) {
                send(tx, 88);
            }
            ConnectionStatistics s = awaitPdus(tx, 150, 5 * SECOND);
            assertEquals(150, s.pdus());
            assertEquals(10, s.maxCellsInInterval(), s.toString());
            // 300 cells need at least 30 intervals; intervals the writer left short (a busy machine wakes it late:
            // the ring holds fewer PDUs than one interval's credit) and ones nobody reached count too
            assertTrue(s.intervals() >= 29, "at least 29 intervals ended: " + s);
            assertTrue(s.intervalsFullyServed() >= 1, s.toString());
            assertTrue(s.intervalsFullyServed() <= s.intervals(), s.toString());
        }
    }

    @Test
    void transmitPolicingOffLetsTheWriterGoAtTheLineAndOnAgainHoldsItBack() throws Exception {
        try (TestPlatform p = new TestPlatform("switch", Double.POSITIVE_INFINITY)) {
            p.services.policy = new FixedIntervalPolicy(1_000_000_000L, 10); // 10 cells a second
            p.server.policiesChanged();
            Connection tx = p.server.open(PvcAddress.parse("0.0.100"), Qos.parse("cbr:pcr=1000,sdu=40"),
                    Direction.TRANSMIT, Aal.AAL5, "test");
            p.server.switches(false, true, true);
            for (int i = 0; i < 100; i++) {
                send(tx, 40); // 100 one-cell PDUs: 10 s of credit
            }
            ConnectionStatistics off = awaitPdus(tx, 100, 5 * SECOND);
            assertEquals(100, off.pdus(), "all sent within 5 s with transmit policing off: " + off);
            assertEquals(0, off.suspensions());
            p.server.switches(true, true, true);
            long t0 = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                send(tx, 40); // 40 cells: four intervals' credit, so at least three seconds
            }
            ConnectionStatistics on = awaitPdus(tx, 140, 10 * SECOND);
            long elapsed = System.nanoTime() - t0;
            assertEquals(140, on.pdus(), on.toString());
            assertTrue(elapsed >= 2 * SECOND, "policing on again holds the writer back: " + elapsed / 1e9 + " s, " + on);
            assertTrue(on.suspensions() > 0, on.toString());
        }
    }
}
