package org.drops.atm.driver.pca200e;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CostProbeTest {

    @Test
    void largerPdusCostMoreAndEveryCostIsPositive() {
        CostProbe probe = new CostProbe();
        // the fastest of five runs each: a busy machine only ever makes a run slower
        double txSmall = Double.MAX_VALUE;
        double txLarge = Double.MAX_VALUE;
        double rxSmall = Double.MAX_VALUE;
        double rxLarge = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            txSmall = Math.min(txSmall, probe.transmitNanosPerPdu(40, 2000));
            txLarge = Math.min(txLarge, probe.transmitNanosPerPdu(65535, 100));
            rxSmall = Math.min(rxSmall, probe.receiveNanosPerPdu(40, 2000));
            rxLarge = Math.min(rxLarge, probe.receiveNanosPerPdu(65535, 100));
        }
        assertTrue(txSmall > 0 && rxSmall > 0, txSmall + " " + rxSmall);
        // 1366 cells against 1: the large PDU costs far more, whatever the machine's noise.
        assertTrue(txLarge > 20 * txSmall, "tx " + txSmall + " ns vs " + txLarge + " ns");
        assertTrue(rxLarge > 20 * rxSmall, "rx " + rxSmall + " ns vs " + rxLarge + " ns");
    }

    @Test
    void badArgumentsAreRefused() {
        CostProbe probe = new CostProbe();
        assertThrows(IllegalArgumentException.class, () -> probe.transmitNanosPerPdu(65536, 1));
        assertThrows(IllegalArgumentException.class, () -> probe.receiveNanosPerPdu(10, 0));
    }
}
