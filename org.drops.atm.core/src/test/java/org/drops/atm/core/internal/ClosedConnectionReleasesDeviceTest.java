package org.drops.atm.core.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.server.Connection;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.drops.atm.driver.pca200e.nic.DeviceSettings;
import org.drops.atm.driver.pca200e.nic.Pca200eDevice;
import org.junit.jupiter.api.Test;

/**
 * Regression test of a defect the reliability suite's ChaosIT found: a connection closed because its interface
 * went away (its driver stopped) kept the interface, and through it the stopped card with its receive pools and
 * FIFO in direct memory, reachable for as long as the application held the connection (a closed socket, say).
 */
class ClosedConnectionReleasesDeviceTest {

    private static final long DEADLINE_NANOS = 10_000_000_000L;

    @Test
    void aClosedConnectionTheApplicationStillHoldsDoesNotPinItsRemovedDevice() throws Exception {
        Server server = new Server(CoreSettings.defaults(), new TestPlatform.FakeServices());
        try {
            List<Connection> held = new ArrayList<>();
            List<WeakReference<Pca200eDevice>> devices = openAndLoseInterfaces(server, held);
            assertTrue(held.stream().allMatch(Connection::isClosed), "the connections were closed with their interfaces");
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (devices.stream().anyMatch(d -> d.get() != null) && System.nanoTime() - deadline < 0) {
                System.gc();
                Thread.onSpinWait();
            }
            for (WeakReference<Pca200eDevice> d : devices) {
                assertNull(d.get(), "the removed device is collectable while its closed connections are held");
            }
            assertTrue(held.size() == 3 && held.stream().allMatch(Connection::isClosed)); // still held to here
        } finally {
            server.shutdown("test over");
        }
    }

    /** Opens a transmit, a receive and a two-way PVC's connections, then removes and closes both devices. */
    private static List<WeakReference<Pca200eDevice>> openAndLoseInterfaces(Server server, List<Connection> held) throws Exception {
        Pca200eDevice itf0 = new Pca200eDevice(DeviceSettings.oc3(0), new MemoryLink("0", "release", false, 64));
        Pca200eDevice itf1 = new Pca200eDevice(DeviceSettings.oc3(1), new MemoryLink("1", "release", false, 64));
        server.addDevice(itf0);
        server.addDevice(itf1);
        held.add(server.open(PvcAddress.parse("0.0.100"), Qos.parse("cbr:pcr=20000,sdu=1000"), Direction.TRANSMIT, Aal.AAL5, "t"));
        held.add(server.open(PvcAddress.parse("1.0.100"), Qos.parse("cbr:pcr=20000,sdu=1000"), Direction.RECEIVE, Aal.AAL5, "t"));
        held.add(server.open(PvcAddress.parse("0.0.101"), Qos.parse("ubr"), Direction.RECEIVE, Aal.AAL5, "t"));
        server.removeDevice(itf0);
        server.removeDevice(itf1);
        itf0.close("driver stopped");
        itf1.close("driver stopped");
        return List.of(new WeakReference<>(itf0), new WeakReference<>(itf1));
    }
}
