package org.drops.atm.itest;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 8: the shipped .cfg files configure the platform, and editing one in the --config folder reconfigures the
 * running component it names, observed through the shell: an interface (driver), the policing choice (core), the
 * shell's defaults and the rate page's sampling.
 */
public class ConfigurationFilesIT {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    private static RunningPlatform platform;

    @BeforeClass
    public static void startPlatform() throws IOException {
        java.nio.file.Path work = LauncherIT.freshWorkDir("config");
        RunningPlatform.useDefaultConfiguration(work);
        platform = RunningPlatform.start(work, "-Dfelix.fileinstall.poll=" + LauncherIT.POLL_MILLIS);
        ShellIT.awaitReady(platform);
    }

    @AfterClass
    public static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    public void editingAnInterfaceFileChangesTheRunningInterfacesLineRate() throws IOException {
        platform.writeConfiguration("org.drops.atm.driver.pca200e.interface-itf1.cfg",
                "atm.itf = 1\nlink = memory\nmemory.wire = wire0\nline.rate = 100000\n");
        // 100000 cells/s of 53-byte cells: 42.40 Mbit/s on the line
        String out = platform.awaitAtm(DEADLINE, s -> Pattern.compile("(?m)^\\s*1\\s+pca200e1\\s.*\\s100000\\s+42\\.40\\s").matcher(s).find(),
                "itf 1 at 100000 cells/s", "atm:interfaces");
        assertTrue(out, ShellIT.upLine(out, 1));
        assertTrue("itf 0 is untouched:\n" + out, Pattern.compile("(?m)^\\s*0\\s+pca200e0\\s.*\\s353208\\s+149\\.76\\s").matcher(out).find());
        String events = platform.awaitAtm(DEADLINE, s -> Pattern.compile("interface/DOWN\\s+itf=1").matcher(s).find(),
                "the reconfiguration posted as interface/DOWN then UP", "atm:events 100");
        assertTrue(events, events.lastIndexOf("interface/UP") > events.indexOf("interface/DOWN"));
    }

    @Test
    public void editingTheCoreFileChangesTheConfiguredPolicy() throws IOException {
        platform.awaitAtm(DEADLINE, s -> s.contains("configured: policy.name = interval-credit"), "the shipped choice",
                "atm:policies");
        platform.writeConfiguration("org.drops.atm.core.cfg", "policy.name = gcra\n");
        String out = platform.awaitAtm(DEADLINE, s -> s.contains("configured: policy.name = gcra in PID org.drops.atm.core"),
                "gcra configured", "atm:policies");
        if (ShellIT.deployed("org.drops.atm.upc.gcra")) {
            assertTrue(out, out.contains("selected: gcra"));
            platform.awaitAtm(DEADLINE, s -> s.contains("policy/CHANGED") && s.contains("policy=gcra"),
                    "the core posting policy/CHANGED", "atm:events 100");
        } else {
            assertTrue(out, out.contains("gcra is not installed"));
        }
    }

    @Test
    public void editingTheShellFileChangesItsDefaults() throws IOException {
        platform.writeConfiguration("org.drops.atm.shell.cfg", "default.count = 7\n");
        platform.awaitAtm(DEADLINE, s -> s.startsWith("atm:awrite 0.0.180: sent 7 SDUs of 100 bytes"),
                "awrite sending the configured default count of 7",
                "atm:awrite 0.0.180 ubr:pcr=50000,sdu=100");
    }

    @Test
    public void editingTheRatePageFileChangesItsSampling() throws IOException {
        platform.writeConfiguration("org.drops.atm.shell.web.cfg", "sample.interval.ms = 500\nhistory.seconds = 60\npoll.interval.ms = 2000\n");
        platform.awaitAtm(DEADLINE, s -> s.contains("sampling every 500 ms, keeping 60 s, the page polls every 2000 ms"),
                "the page's new sampling", "atm:web");
    }
}
