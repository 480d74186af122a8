package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The admission-control bundle in the platform: its AdmissionControl service follows the interfaces that
 * Configuration Admin brings up, at their OC-3 line rate, admits and refuses through the service, and has
 * measured its CPU model with the driver's probe.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdmissionControlIT {

    private static final String FACTORY_PID = "org.drops.atm.driver.pca200e.interface";
    private static final long WAIT_MILLIS = 30_000;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    AdmissionControl admission;

    @Configuration
    public Option[] configuration() throws IOException {
        return PlatformBundlesIT.platform();
    }

    private org.osgi.service.cm.Configuration interfaceConfiguration(String name, int itf) throws IOException {
        org.osgi.service.cm.Configuration config = configurationAdmin.getFactoryConfiguration(FACTORY_PID, name, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("atm.itf", itf);
        properties.put("link", "memory");
        properties.put("memory.wire", "it-cac");
        properties.put("line.rate", "oc3");
        config.update(properties);
        return config;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("waited " + WAIT_MILLIS + " ms for " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static AdmissionRequest cbrTx(int itf, int vci, int pcr) {
        return new AdmissionRequest(PvcAddress.of(itf, 0, vci), Qos.transmit(TrafficParameters.cbr(pcr, 8192)),
                Direction.TRANSMIT);
    }

    private static ResourceState resource(AdmissionState state, Resource resource) {
        return state.resources().stream().filter(r -> r.resource() == resource).findFirst().orElseThrow();
    }

    @Test
    public void theServiceSeesTwoConfiguredInterfacesAtOc3AndAdmitsAndRefusesOnThem() throws Exception {
        org.osgi.service.cm.Configuration a = interfaceConfiguration("it-cac-a", 20);
        org.osgi.service.cm.Configuration b = interfaceConfiguration("it-cac-b", 21);
        List<Reservation> held = new ArrayList<>();
        try {
            await("interfaces 20 and 21 in admission control's books",
                    () -> admission.state(20).isPresent() && admission.state(21).isPresent());
            for (int itf : new int[] {20, 21}) {
                ResourceState bandwidth = resource(admission.state(itf).orElseThrow(), Resource.BANDWIDTH);
                assertEquals("itf " + itf, 353_207, bandwidth.capacity(), 0);
                assertEquals(0, bandwidth.reserved(), 0);
                assertEquals(353_207, admission.bestEffortCellsPerSecond(itf), 0);
            }

            for (int i = 0; i < 8; i++) {
                held.add(admission.admit(cbrTx(20, 100 + i, 41_748)));
            }
            assertEquals(333_984, resource(admission.state(20).orElseThrow(), Resource.BANDWIDTH).reserved(), 0);
            Qos recommended = null;
            try {
                admission.admit(cbrTx(20, 108, 41_748));
                fail("the ninth 16 Mbit/s connection was admitted");
            } catch (AdmissionException refused) {
                assertEquals(Resource.BANDWIDTH, refused.resource());
                recommended = refused.recommended().orElseThrow();
            }
            assertEquals(19_223, recommended.tx().topPcrCps());
            try {
                admission.admit(cbrTx(20, 108, 19_224));
                fail("one cell/s above the recommendation was admitted");
            } catch (AdmissionException expected) {
                assertEquals(Resource.BANDWIDTH, expected.resource());
            }
            held.add(admission.admit(new AdmissionRequest(PvcAddress.of(20, 0, 108), recommended, Direction.TRANSMIT)));
            assertEquals(0, admission.bestEffortCellsPerSecond(20), 0);
            // the other interface is untouched, and best effort is admitted on the full one
            assertEquals(0, resource(admission.state(21).orElseThrow(), Resource.BANDWIDTH).reserved(), 0);
            held.add(admission.admit(new AdmissionRequest(PvcAddress.of(20, 0, 200),
                    Qos.receive(TrafficParameters.ubr()), Direction.RECEIVE)));
            try {
                admission.admit(cbrTx(22, 100, 1000));
                fail("admitted on an interface that does not exist");
            } catch (AdmissionException refused) {
                assertTrue(refused.getMessage(), refused.getMessage().contains("itf 22"));
            }

            for (Reservation r : held) {
                assertTrue(admission.release(r));
            }
            assertFalse("a second release is refused", admission.release(held.get(0)));
            for (ResourceState resource : admission.state(20).orElseThrow().resources()) {
                assertEquals(resource.toString(), 0, resource.reserved(), 0);
            }
            held.clear();
        } finally {
            for (Reservation r : held) {
                admission.release(r);
            }
            a.delete();
            b.delete();
        }
        await("the deleted interfaces leave the books", () -> admission.state(20).isEmpty() && admission.state(21).isEmpty());
    }

    @Test
    public void theCpuModelIsMeasuredWithTheDriversProbe() {
        // the probe may register after this bundle; admission control calibrates as soon as it appears
        await("a measured CPU model", () -> admission.cpuModel().description().startsWith("measured"));
        CpuModel first = admission.cpuModel();
        long start = System.nanoTime();
        CpuModel again = admission.recalibrate();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("AdmissionControlIT: recalibrate() took " + millis + " ms: " + again.description());
        assertTrue(again.description(), again.description().startsWith("measured"));
        assertFalse(again.calibratedAt().isBefore(first.calibratedAt()));
        assertTrue(again.transmitNanosPerByte() > 0 && again.receiveNanosPerByte() > 0);
        assertEquals(0.8, again.utilisationLimit(), 0);
        assertTrue("recalibrate() took " + millis + " ms", millis < 5_000);
    }
}
