package org.drops.atm.driver.pca200e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VcService;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.driver.pca200e.nic.Pca200eDevice;
import org.junit.jupiter.api.Test;

/**
 * Regression test of a defect the reliability suite's ChaosIT found: a deactivated interface component (its
 * driver bundle stopped) kept its card, with the receive pools and FIFO in direct memory, reachable for as long
 * as anyone held the service object. Once deactivated it lets go of the card and answers as a down interface.
 */
class DeactivatedInterfaceReleasesDeviceTest {

    private static final long DEADLINE_NANOS = 10_000_000_000L;

    @Test
    void aDeactivatedInterfaceLetsGoOfItsCardAndAnswersAsDown() throws Exception {
        Pca200eInterface itf = new Pca200eInterface();
        itf.activate(config(Map.of("atm_itf", 7, "memory_loopback", true)));
        WeakReference<Pca200eDevice> card = new WeakReference<>(itf.deviceOrNull());
        assertNotNull(card.get());
        itf.deactivate();

        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (card.get() != null && System.nanoTime() - deadline < 0) {
            System.gc();
            Thread.onSpinWait();
        }
        assertNull(card.get(), "the deactivated interface's card is collectable while the service object is held");

        // the held service object still answers, as a down interface
        assertEquals(7, itf.interfaceNumber());
        assertFalse(itf.info().up());
        assertNotNull(itf.statistics());
        ConnectionClosedException e = assertThrows(ConnectionClosedException.class, () -> itf.receive(1_000_000L));
        assertTrue(e.getMessage().contains("driver stopped"), e.getMessage());
        assertThrows(ConnectionClosedException.class,
                () -> itf.open(new VcParameters(0, 100, Qos.parse("ubr"), Aal.AAL5, VcService.BEST_EFFORT)));
        itf.attachTap((direction, vpi, vci, pdu, nanoTime) -> { }).close();
    }

    /** The interface configuration's defaults, with {@code overrides} by method name. */
    static InterfaceConfiguration config(Map<String, Object> overrides) {
        return (InterfaceConfiguration) Proxy.newProxyInstance(InterfaceConfiguration.class.getClassLoader(),
                new Class<?>[] {InterfaceConfiguration.class}, (proxy, method, args) -> {
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
