package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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

import javax.inject.Inject;

import org.drops.atm.itest.LauncherBundleSet.BundleIdentity;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Boots the launcher's bundle set in Felix: the bundles inside run/target/atm.jar (its resolved
 * -runbundles, with its framework properties) plus every jar in bundles/, as FileInstall would install
 * them. See {@link LauncherBundleSet} for where the set comes from.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformBundlesIT {

    static final String API_BUNDLE = "org.drops.atm.api";

    /**
     * The packages the API bundle exports, each at its declared version (the @Version of its
     * package-info.java). Extend this table with every package the API bundle gains; the final API has
     * eight, all at 1.0.0 but org.drops.atm.api at 1.1.0 (ConnectionStatistics.maxCellsInInterval), .device at
     * 1.3.0 (PduCostProbe.dataPathNanosPerPdu, then with a gap) and .admission at 1.1.0 (CpuModel's gap term):
     * org.drops.atm.api, .qos, .device, .admission, .policing, .srt, .scheduling, .server.
     */
    static final Map<String, Version> API_EXPORTS = Map.of(
            "org.drops.atm.api", Version.parseVersion("1.1.0"),
            "org.drops.atm.api.qos", Version.parseVersion("1.0.0"),
            "org.drops.atm.api.device", Version.parseVersion("1.3.0"),
            "org.drops.atm.api.admission", Version.parseVersion("1.1.0"),
            "org.drops.atm.api.policing", Version.parseVersion("1.0.0"),
            "org.drops.atm.api.srt", Version.parseVersion("1.0.0"),
            "org.drops.atm.api.scheduling", Version.parseVersion("1.0.0"),
            "org.drops.atm.api.server", Version.parseVersion("1.0.0"));

    /** Where this module's tests keep their files (failsafe sets it). */
    static final String WORK_DIR_PROPERTY = Platform.WORK_DIR_PROPERTY;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] configuration() throws IOException {
        return platform();
    }

    /** The launcher's bundle set as Pax Exam options (see {@link Platform#options()}). */
    static Option[] platform() throws IOException {
        return Platform.options();
    }

    @Test
    public void everyLauncherBundleIsActive() {
        List<BundleIdentity> expected = LauncherBundleSet.fromSystemProperties().expectedBundles();
        assertTrue("the launcher jar carries no bundles", expected.size() > 1);
        List<String> problems = new ArrayList<>();
        for (BundleIdentity identity : expected) {
            Bundle bundle = installed(identity.symbolicName());
            if (bundle == null) {
                problems.add(identity + ": not installed");
                continue;
            }
            int wanted = identity.fragment() ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != wanted) {
                problems.add(identity + ": " + stateName(bundle.getState()) + ", expected " + stateName(wanted));
            }
            if (!bundle.getVersion().equals(Version.parseVersion(identity.version()))) {
                problems.add(identity + ": version " + bundle.getVersion() + " installed");
            }
        }
        assertTrue("bundles of the launcher that are not running:\n  " + String.join("\n  ", problems),
                problems.isEmpty());
    }

    @Test
    public void theApiBundleIsDeployedThroughTheBundlesFolder() {
        boolean inBundlesFolder = LauncherBundleSet.fromSystemProperties().expectedBundles().stream()
                .anyMatch(b -> b.symbolicName().equals(API_BUNDLE) && !b.source().contains("!/"));
        assertTrue(API_BUNDLE + " is not in bundles/ (run/pom.xml copies it there)", inBundlesFolder);
    }

    @Test
    public void frameworkIsTheLaunchersFramework() {
        String launchers = LauncherBundleSet.fromSystemProperties().frameworkVersion();
        assertEquals("the framework Pax Exam runs differs from the launcher's -runfw",
                Version.parseVersion(launchers), context.getBundle(0).getVersion());
    }

    @Test
    public void apiPackagesAreExportedAtTheirDeclaredVersions() {
        Map<String, Version> exported = exportedPackages(installed(API_BUNDLE));
        API_EXPORTS.forEach((name, version) -> {
            assertTrue(API_BUNDLE + " does not export " + name + "; it exports " + exported, exported.containsKey(name));
            assertEquals("version of " + name, version, exported.get(name));
        });
    }

    @Test
    public void apiBundleExportsNoPackageMissingFromTheTable() {
        Map<String, Version> untabled = new TreeMap<>(exportedPackages(installed(API_BUNDLE)));
        untabled.keySet().removeAll(API_EXPORTS.keySet());
        assertTrue("exported by " + API_BUNDLE + " but not in PlatformBundlesIT.API_EXPORTS: " + untabled
                + " (add them to the table, or stop exporting them)", untabled.isEmpty());
    }

    private Map<String, Version> exportedPackages(Bundle bundle) {
        assertFalse(API_BUNDLE + " is not installed", bundle == null);
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        assertFalse(API_BUNDLE + " is not resolved", wiring == null);
        Map<String, Version> packages = new TreeMap<>();
        for (BundleCapability export : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            Map<String, Object> attributes = export.getAttributes();
            packages.put((String) attributes.get(PackageNamespace.PACKAGE_NAMESPACE),
                    (Version) attributes.get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE));
        }
        return packages;
    }

    private Bundle installed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "state " + state;
        };
    }
}
