package org.drops.atm.itest;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.drops.atm.api.server.ProtocolServer;
import org.ops4j.pax.exam.Option;

/**
 * The platform as the integration tests boot it in Pax Exam, shared by this module's tests and the reliability
 * suite (org.drops.atm.reliability compiles this folder into its own tests, so the Pax Exam probe carries it).
 */
public final class Platform {

    /** Where a module's tests keep their files (failsafe sets it). */
    public static final String WORK_DIR_PROPERTY = "atm.itest.work";

    private Platform() {
    }

    /** The launcher's bundle set as Pax Exam options; every integration test of the platform boots this. */
    public static Option[] options() throws IOException {
        LauncherBundleSet launcher = LauncherBundleSet.fromSystemProperties();
        Path work = Path.of(System.getProperty(WORK_DIR_PROPERTY, "target/itest-work"));
        Path emptyWatchedFolder = Files.createDirectories(work.resolve("pax-exam-fileinstall"));
        List<Option> options = new ArrayList<>();
        Map<String, String> properties = new TreeMap<>(launcher.frameworkProperties());
        // the launcher's properties except what makes no sense in Pax Exam's framework: FileInstall would
        // install bundles/ a second time (Pax Exam installs it below), so it watches an empty folder; no
        // console and no telnet daemon in a test JVM (failsafe talks to its fork over stdin); Pax Exam
        // manages the framework storage
        properties.put("felix.fileinstall.dir", emptyWatchedFolder.toAbsolutePath().toString());
        properties.put("gosh.args", "--nointeractive --noshutdown");
        // no HTTP listener in a test JVM: the rate page is tested on the real launcher (RatePageIT), and a Jetty here
        // would take the launcher's port 8019 from a platform running beside the tests
        properties.put("org.apache.felix.http.enable", "false");
        properties.remove("org.osgi.framework.storage.clean");
        properties.forEach((key, value) -> options.add(frameworkProperty(key).value(value)));
        for (String url : launcher.launcherBundleUrls()) {
            options.add(bundle(url).start());
        }
        for (Path jar : launcher.hotDeployedBundles()) {
            options.add(bundle(jar.toUri().toString()).start());
        }
        options.add(junitBundles());
        options.add(workingDirectory(work.resolve("pax-exam").toString()));
        options.add(cleanCaches());
        return options.toArray(Option[]::new);
    }

    /**
     * Waits until these interfaces are up in the protocol server and known to admission control (interfaces of
     * an earlier test may still be going away, so a count is not enough).
     */
    public static void awaitInterfaces(ProtocolServer server, int first, int second) {
        long deadline = System.currentTimeMillis() + 10_000;
        java.util.function.Predicate<Integer> up = itf -> server.interfaces().stream().anyMatch(i -> i.itf() == itf);
        while (!(up.test(first) && up.test(second)) && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue("interfaces " + first + " and " + second + " up: " + server.interfaces(), up.test(first) && up.test(second));
        awaitInterfaces(server, 2);
    }

    public static void awaitInterfaces(ProtocolServer server, int count) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.interfaces().size() < count && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue("interfaces up: " + server.interfaces(), server.interfaces().size() >= count);
        // admission control learns of an interface from the same service event, a moment later
        org.osgi.framework.BundleContext context = org.osgi.framework.FrameworkUtil.getBundle(Platform.class).getBundleContext();
        org.osgi.framework.ServiceReference<org.drops.atm.api.admission.AdmissionControl> ref =
                context.getServiceReference(org.drops.atm.api.admission.AdmissionControl.class);
        if (ref == null) {
            return;
        }
        org.drops.atm.api.admission.AdmissionControl cac = context.getService(ref);
        try {
            for (org.drops.atm.api.InterfaceInfo i : server.interfaces()) {
                while (cac.state(i.itf()).isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            context.ungetService(ref);
        }
    }

}
