package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.inject.Inject;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The two policy bundles in the platform (deployed through bundles/): each registers its PolicingPolicy
 * service under its own name, and each can be stopped and started while the other's service stays registered,
 * which is what lets an operator hot-deploy a policy while traffic flows.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicingPoliciesIT {

    private static final String UPC_BUNDLE = "org.drops.atm.upc";
    private static final String GCRA_BUNDLE = "org.drops.atm.upc.gcra";
    private static final String INTERVAL_CREDIT = "interval-credit";
    private static final String GCRA = "gcra";
    private static final long TIMEOUT_MILLIS = 10_000;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return PlatformBundlesIT.platform();
    }

    /** The registered policies by their atm.policy.name property. */
    private Map<String, ServiceReference<PolicingPolicy>> policies() throws Exception {
        Map<String, ServiceReference<PolicingPolicy>> byName = new TreeMap<>();
        for (ServiceReference<PolicingPolicy> ref : context.getServiceReferences(PolicingPolicy.class, null)) {
            Object name = ref.getProperty(PolicingPolicy.NAME);
            assertTrue("a PolicingPolicy without a String " + PolicingPolicy.NAME + ": " + name, name instanceof String);
            assertTrue("two policies named " + name, byName.put((String) name, ref) == null);
        }
        return byName;
    }

    /** Waits (DS registers asynchronously) until exactly these policy names are registered. */
    private Map<String, ServiceReference<PolicingPolicy>> awaitPolicies(Set<String> names) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        Map<String, ServiceReference<PolicingPolicy>> now = policies();
        while (!now.keySet().equals(names) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            now = policies();
        }
        assertEquals("registered policies", names, now.keySet());
        return now;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed (run/pom.xml deploys it through bundles/)");
    }

    @Test
    public void bothPolicyBundlesStartAndRegisterTheirPoliciesWithDistinctNames() throws Exception {
        assertEquals(Bundle.ACTIVE, bundle(UPC_BUNDLE).getState());
        assertEquals(Bundle.ACTIVE, bundle(GCRA_BUNDLE).getState());
        Map<String, ServiceReference<PolicingPolicy>> policies = awaitPolicies(Set.of(INTERVAL_CREDIT, GCRA));
        assertEquals(UPC_BUNDLE, policies.get(INTERVAL_CREDIT).getBundle().getSymbolicName());
        assertEquals(GCRA_BUNDLE, policies.get(GCRA).getBundle().getSymbolicName());
        TrafficParameters cbr = TrafficParameters.cbr(166_993, 8192);
        for (Map.Entry<String, ServiceReference<PolicingPolicy>> e : policies.entrySet()) {
            PolicingPolicy policy = context.getService(e.getValue());
            try {
                assertEquals("name() equals the service property", e.getKey(), policy.name());
                Meter meter = policy.newMeter(cbr, Aal.AAL5, Direction.TRANSMIT, 0);
                assertEquals(e.getKey() + ": the first PDU conforms", Meter.CONFORMING, meter.conform(0, 171));
            } finally {
                context.ungetService(e.getValue());
            }
        }
        // without a configured policy name the core takes the highest-ranked service: the paper's scheme
        ServiceReference<PolicingPolicy> best = context.getServiceReference(PolicingPolicy.class);
        assertNotNull(best);
        assertEquals(INTERVAL_CREDIT, best.getProperty(PolicingPolicy.NAME));
    }

    @Test
    public void eachPolicyBundleStopsAndStartsWhileTheOthersServiceStays() throws Exception {
        stopAndStart(UPC_BUNDLE, INTERVAL_CREDIT, GCRA);
        stopAndStart(GCRA_BUNDLE, GCRA, INTERVAL_CREDIT);
    }

    private void stopAndStart(String bundleName, String policy, String other) throws Exception {
        Bundle bundle = bundle(bundleName);
        Object otherServiceId = awaitPolicies(Set.of(policy, other)).get(other).getProperty(Constants.SERVICE_ID);
        bundle.stop();
        try {
            assertEquals(Bundle.RESOLVED, bundle.getState());
            Map<String, ServiceReference<PolicingPolicy>> left = awaitPolicies(Set.of(other));
            assertEquals(other + " was not re-registered while " + bundleName + " stopped", otherServiceId,
                    left.get(other).getProperty(Constants.SERVICE_ID));
        } finally {
            bundle.start();
        }
        Map<String, ServiceReference<PolicingPolicy>> back = awaitPolicies(Set.of(policy, other));
        assertEquals(other + " was not re-registered while " + bundleName + " started", otherServiceId,
                back.get(other).getProperty(Constants.SERVICE_ID));
        assertEquals(bundleName, back.get(policy).getBundle().getSymbolicName());
    }
}
