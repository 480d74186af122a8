package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The real launcher, started with run/atm as a user starts it and driven with run/gogo: the project's
 * bundles come up through FileInstall, -D and --config reach the framework, the watched folder deploys
 * bundles while the platform runs, and `stop 0` ends the process.
 */
public class LauncherIT {

    static final String POLL_MILLIS = "250";
    static final String PROBE_PID = "org.drops.atm.itest.probe";
    static final String HOT_BUNDLE = "org.drops.atm.itest.hotdeploy";
    static final Duration DEPLOY_DEADLINE = Duration.ofSeconds(30);

    /** `lb -s` line: "   13|Active     |    1|org.drops.atm.api (0.1.0.2026...)|0.1.0.2026..." */
    static final Pattern LB_LINE = Pattern.compile("^\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*\\d+\\|(\\S+) \\(([^)]*)\\)", Pattern.MULTILINE);

    /** Spaces around '=' on purpose: FileInstall 3.7.4 with config save on rewrote such a file as empty. */
    static final String PROBE_CFG = "greeting = hello from --config\nrateCellsPerSecond = 353207\n";

    private static RunningPlatform platform;

    @BeforeClass
    public static void startPlatform() throws IOException {
        Path work = freshWorkDir("launcher");
        Files.writeString(Files.createDirectories(RunningPlatform.configDir(work)).resolve(PROBE_PID + ".cfg"),
                PROBE_CFG, StandardCharsets.UTF_8);
        // a -D override of a property atm.bndrun sets (felix.fileinstall.poll=1000); a short poll also
        // keeps the hot-deploy test quick
        platform = RunningPlatform.start(work, "-Dfelix.fileinstall.poll=" + POLL_MILLIS);
    }

    @AfterClass
    public static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    public void apiAndInfrastructureBundlesAreActive() {
        List<String> expected = LauncherBundleSet.fromSystemProperties().expectedBundles().stream()
                .map(LauncherBundleSet.BundleIdentity::symbolicName).toList();
        assertTrue(expected.contains(PlatformBundlesIT.API_BUNDLE));
        String lb = platform.awaitShell(DEPLOY_DEADLINE,
                out -> expected.stream().allMatch(bsn -> "Active".equals(state(out, bsn).orElse(null))),
                "every bundle Active: " + expected, "lb -s");
        for (String bsn : List.of("org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.fileinstall",
                "org.apache.felix.metatype", "org.apache.felix.eventadmin", "org.apache.felix.gogo.shell")) {
            assertEquals(bsn + " in\n" + lb, Optional.of("Active"), state(lb, bsn));
        }
    }

    @Test
    public void systemPropertyOverridesTheLaunchersFrameworkProperty() {
        assertEquals(POLL_MILLIS, platform.shell("$.context getProperty felix.fileinstall.poll").strip());
    }

    @Test
    public void cfgFileInTheConfigFolderIsAppliedThroughConfigurationAdminAndLeftUntouched() throws IOException {
        String properties = platform.awaitShell(DEPLOY_DEADLINE, out -> out.contains("hello from --config"),
                "configured from " + PROBE_PID + ".cfg",
                "ca = $.context getService ($.context getServiceReference org.osgi.service.cm.ConfigurationAdmin)",
                "(($ca listConfigurations '(service.pid=" + PROBE_PID + ")') 0) properties");
        assertTrue(properties, properties.matches("(?s).*rateCellsPerSecond\\s+353207.*"));
        assertEquals("the platform must not write to the configuration folder", PROBE_CFG,
                Files.readString(platform.configDir.resolve(PROBE_PID + ".cfg"), StandardCharsets.UTF_8));
    }

    @Test
    public void bundleDroppedIntoTheWatchedFolderIsInstalledUpdatedInPlaceAndUninstalled() throws IOException {
        Path jar = platform.bundlesDir.resolve(HOT_BUNDLE + ".jar");

        dropBundle(jar, "1.0.0");
        String lb = platform.awaitShell(DEPLOY_DEADLINE, out -> "Active".equals(state(out, HOT_BUNDLE).orElse(null)),
                HOT_BUNDLE + " Active", "lb -s");
        String id = field(lb, HOT_BUNDLE, 1).orElseThrow();
        assertEquals(Optional.of("1.0.0"), field(lb, HOT_BUNDLE, 4));

        dropBundle(jar, "1.0.1");
        lb = platform.awaitShell(DEPLOY_DEADLINE, out -> field(out, HOT_BUNDLE, 4).filter("1.0.1"::equals).isPresent(),
                HOT_BUNDLE + " updated to 1.0.1", "lb -s");
        assertEquals("an update keeps the bundle id", Optional.of(id), field(lb, HOT_BUNDLE, 1));
        assertEquals(Optional.of("Active"), state(lb, HOT_BUNDLE));

        Files.delete(jar);
        platform.awaitShell(DEPLOY_DEADLINE, out -> state(out, HOT_BUNDLE).isEmpty(), HOT_BUNDLE + " uninstalled", "lb -s");
    }

    @Test
    public void stopZeroEndsThePlatformAndRunAtmExitsWithZero() throws Exception {
        try (RunningPlatform own = RunningPlatform.start(freshWorkDir("stop"))) {
            own.gogo("stop 0");
            // the bnd launcher exits with 117 after `stop 0`; run/atm reports that as 0
            assertEquals(own.logTail(), 0, own.awaitExit(RunningPlatform.STOP_DEADLINE));
        }
    }

    @Test
    public void gogoClientFailsWhenNoPlatformListens() throws IOException {
        int unused = RunningPlatform.freeLoopbackPort();
        RunningPlatform.Gogo answer = platform.gogo("--port", Integer.toString(unused), "lb");
        assertEquals(answer.output(), 2, answer.exitCode());
    }

    /** Builds a tiny bundle and moves it into place at once, so FileInstall never sees half a jar. */
    static void dropBundle(Path target, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", HOT_BUNDLE);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Name", "hot deploy probe " + version);
        Path temporary = Files.createTempFile(target.getParent().getParent(), "hot", ".tmp");
        try (OutputStream file = Files.newOutputStream(temporary);
             JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.putNextEntry(new ZipEntry("hotdeploy/version.txt"));
            jar.write(version.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<String> state(String lb, String symbolicName) {
        return field(lb, symbolicName, 2);
    }

    /** A field of symbolicName's `lb -s` line: 1 id, 2 state, 4 version. */
    static Optional<String> field(String lb, String symbolicName, int group) {
        Matcher line = LB_LINE.matcher(lb);
        while (line.find()) {
            if (line.group(3).equals(symbolicName)) {
                return Optional.of(line.group(group));
            }
        }
        return Optional.empty();
    }

    static Path freshWorkDir(String name) throws IOException {
        Path base = Files.createDirectories(Path.of(System.getProperty("atm.itest.work", "target/itest-work")));
        return Files.createTempDirectory(base.toAbsolutePath(), name + "-");
    }
}
