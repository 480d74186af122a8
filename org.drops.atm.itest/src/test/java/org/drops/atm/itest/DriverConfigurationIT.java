package org.drops.atm.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VcService;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The driver bundle in the platform: each Configuration Admin factory configuration brings up one interface as
 * an AtmDevice service; reconfiguring or deleting it takes the interface down cleanly.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriverConfigurationIT {

    private static final String FACTORY_PID = "org.drops.atm.driver.pca200e.interface";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() throws IOException {
        return PlatformBundlesIT.platform();
    }

    /**
     * These tests take PDUs from the device themselves, so the protocol server, whose pseudo-interrupt threads
     * are the devices' one receiver otherwise, is stopped while they run.
     */
    @org.junit.Before
    public void stopTheProtocolServer() throws Exception {
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if ("org.drops.atm.core".equals(b.getSymbolicName())) {
                b.stop();
            }
        }
    }

    @org.junit.After
    public void startTheProtocolServer() throws Exception {
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if ("org.drops.atm.core".equals(b.getSymbolicName())) {
                b.start();
            }
        }
    }

    private AtmDevice awaitDevice(int itf, long timeoutMillis) throws Exception {
        ServiceTracker<AtmDevice, AtmDevice> tracker = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + AtmDevice.class.getName() + ")(atm.itf=" + itf + "))"), null);
        tracker.open();
        try {
            return tracker.waitForService(timeoutMillis);
        } finally {
            tracker.close();
        }
    }

    private boolean deviceGone(int itf, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (context.getServiceReferences(AtmDevice.class, "(atm.itf=" + itf + ")").isEmpty()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private static VcParameters ubr(int vci) {
        return new VcParameters(0, vci, Qos.symmetric(TrafficParameters.ubr()), Aal.AAL5, VcService.BEST_EFFORT);
    }

    @Test
    public void aFactoryConfigurationBringsUpAWorkingInterface() throws Exception {
        org.osgi.service.cm.Configuration config = configurationAdmin.getFactoryConfiguration(FACTORY_PID, "it-loop", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("atm.itf", 7);
        properties.put("link", "memory");
        properties.put("memory.loopback", true);
        config.update(properties);
        try {
            AtmDevice device = awaitDevice(7, 10_000);
            assertNotNull("no AtmDevice with atm.itf=7 appeared", device);
            assertEquals(7, device.interfaceNumber());
            assertTrue(device.info().up());
            VirtualChannel vc = device.open(ubr(100));
            byte[] sdu = "the platform carries cells".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            vc.send(ByteBuffer.wrap(sdu));
            ReceivedPdu pdu = device.receive(5_000_000_000L);
            assertNotNull("the looped-back PDU did not arrive", pdu);
            byte[] got = new byte[pdu.length()];
            pdu.data().get(0, got);
            pdu.release();
            assertArrayEquals(sdu, got);
        } finally {
            config.delete();
        }
        assertTrue("the interface's service stayed after its configuration was deleted", deviceGone(7, 10_000));
    }

    @Test
    public void deletingTheConfigurationWakesBlockedCallersWithAClearException() throws Exception {
        org.osgi.service.cm.Configuration config = configurationAdmin.getFactoryConfiguration(FACTORY_PID, "it-down", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("atm.itf", 8);
        properties.put("memory.wire", "it-down");
        config.update(properties);
        AtmDevice device = awaitDevice(8, 10_000);
        assertNotNull(device);
        device.open(ubr(100));
        CompletableFuture<Throwable> blocked = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            try {
                blocked.complete(device.receive(60_000_000_000L) == null ? new AssertionError("timed out") : null);
            } catch (Throwable t) {
                blocked.complete(t);
            }
        }, "blocked-receiver");
        receiver.start();
        long parkDeadline = System.currentTimeMillis() + 10_000;
        while (receiver.getState() != Thread.State.TIMED_WAITING && System.currentTimeMillis() < parkDeadline) {
            Thread.onSpinWait();
        }
        assertEquals("the receiver is blocked in receive before the interface goes down", Thread.State.TIMED_WAITING,
                receiver.getState());
        long t0 = System.nanoTime();
        config.delete();
        Throwable woken = blocked.get(10, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue("expected ConnectionClosedException, got " + woken, woken instanceof ConnectionClosedException);
        assertTrue(woken.getMessage(), woken.getMessage().contains("itf 8"));
        assertTrue("woken after " + millis + " ms", millis < 5_000);
        assertTrue(deviceGone(8, 10_000));
    }

    @Test
    public void reconfiguringReplacesTheInterface() throws Exception {
        org.osgi.service.cm.Configuration config = configurationAdmin.getFactoryConfiguration(FACTORY_PID, "it-reconf", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("atm.itf", 9);
        properties.put("memory.wire", "it-reconf");
        config.update(properties);
        try {
            AtmDevice first = awaitDevice(9, 10_000);
            assertNotNull(first);
            properties.put("line.rate", "oc12");
            config.update(properties);
            long deadline = System.currentTimeMillis() + 10_000;
            AtmDevice second = first;
            while (second == first && System.currentTimeMillis() < deadline) {
                AtmDevice d = awaitDevice(9, 1000);
                second = d != null && d.info().lineCellsPerSecond() > 1_000_000 ? d : first;
            }
            assertTrue("the reconfigured interface did not come up at OC-12", second != first);
            assertTrue("the old interface is down", !first.info().up());
            assertTrue(second.info().up());
        } finally {
            config.delete();
        }
    }
}
