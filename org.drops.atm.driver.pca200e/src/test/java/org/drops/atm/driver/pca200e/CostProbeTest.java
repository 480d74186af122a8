package org.drops.atm.driver.pca200e;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CostProbeTest {

    @Test
    void largerPdusCostMoreAndEveryCostIsPositive() {
        CostProbe probe = new CostProbe();
        double txSmall = probe.transmitNanosPerPdu(40, 2000);
        double txLarge = probe.transmitNanosPerPdu(65535, 200);
        double rxSmall = probe.receiveNanosPerPdu(40, 2000);
        double rxLarge = probe.receiveNanosPerPdu(65535, 200);
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
