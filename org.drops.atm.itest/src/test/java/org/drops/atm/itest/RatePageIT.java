package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.Test;

/**
 * Issue 8, the live rate page in a real browser: Debian's Chromium, headless, driven through its DevTools protocol,
 * loads the page from the running platform (127.0.0.1, a free port), shows the running connections, and the plot
 * updates as samples arrive and as connections come and go.
 */
public class RatePageIT {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    /**
     * What the page reports about itself: its counters, the table's rows, the legend, the admission panel, the mean of
     * each plotted series and the plot's pixels (or that it is still loading).
     */
    static final String PAGE_STATE = "document.getElementById('plot') === null || document.getElementById('admission') === null"
            + " ? JSON.stringify({loading: true, rows: [], samples: -1}) : JSON.stringify({title: document.title, samples: window.atmRates ? window.atmRates.samples : -1,"
            + " polls: window.atmRates ? window.atmRates.polls : 0, draws: window.atmRates ? window.atmRates.draws : 0,"
            + " failures: window.atmRates ? window.atmRates.failures : 0,"
            + " rows: Array.from(document.querySelectorAll('#connections tbody tr[data-pvc]')).map(r => r.dataset.pvc + ' ' + r.dataset.direction + ' ' + r.children[5].textContent),"
            + " closed: Array.from(document.querySelectorAll('#legend li.closed')).map(l => l.dataset.pvc),"
            + " admission: document.getElementById('admission').textContent,"
            + " means: Object.fromEntries(window.atmRates && window.atmRates.state ? window.atmRates.state.connections.map(c =>"
            + "   [c.pvc + ' ' + c.direction, c.points.slice(1).reduce((a, p) => a + p[1], 0) / Math.max(1, c.points.length - 1)]) : []),"
            + " plot: document.getElementById('plot').toDataURL()})";

    @Test
    public void thePageLoadsShowsTheRunningConnectionsAndThePlotUpdates() throws Exception {
        Path chromium = Tools.require("chromium");
        Path work = LauncherIT.freshWorkDir("ratepage");
        RunningPlatform.useDefaultConfiguration(work);
        // quicker samples than the shipped once a second, so the test sees several in a few seconds
        Files.writeString(RunningPlatform.configDir(work).resolve("org.drops.atm.shell.web.cfg"),
                "sample.interval.ms = 250\nhistory.seconds = 60\npoll.interval.ms = 250\n");
        try (RunningPlatform platform = RunningPlatform.start(work)) {
            ShellIT.awaitReady(platform);
            // with admission control deployed, one guaranteed connection, whose reservation the page shows
            boolean cac = ShellIT.deployed("org.drops.atm.cac");
            String classA = cac ? "cbr" : "ubr";
            platform.atm("atm:open --rx 1.0.170 ubr:sdu=4096", "atm:aread 1.0.170 -b",
                    "atm:awrite 0.0.170 " + classA + ":pcr=40000,sdu=4096 -b -t 60",
                    "atm:open --rx 1.0.171 ubr:sdu=4096", "atm:aread 1.0.171 -b",
                    "atm:awrite 0.0.171 ubr:pcr=15000,sdu=4096 -b -t 60");
            String url = "http://127.0.0.1:" + platform.httpPort + "/atm/";
            try (HeadlessChromium browser = HeadlessChromium.start(chromium, work.resolve("chromium-profile"))) {
                browser.open(url);
                JsonNode first = await(browser, s -> s.path("rows").size() >= 4 && s.path("samples").asLong() > 0,
                        "the page showing the four connections");
                assertEquals("DROPS ATM: live rates", first.path("title").asText());
                String rows = first.path("rows").toString();
                for (String row : new String[] {"0.0.170 tx", "1.0.170 rx", "0.0.171 tx", "1.0.171 rx"}) {
                    assertTrue(row + " in " + rows, rows.contains(row));
                }
                String admission = first.path("admission").asText();
                assertTrue(admission, admission.contains("itf 0 (pca200e0, up)"));
                if (cac) {
                    assertTrue(admission, admission.contains("bandwidth: 40000 of 353207 cells/s reserved; best effort 313207 cells/s"));
                    assertTrue(admission, admission.contains("CPU model (calibrated "));
                } else {
                    assertTrue(admission, admission.startsWith("No admission control is running"));
                }

                // the plot updates: more samples arrive, the page redraws, and the pixels change
                long samples = first.path("samples").asLong();
                long draws = first.path("draws").asLong();
                String plot = first.path("plot").asText();
                JsonNode later = await(browser, s -> s.path("samples").asLong() >= samples + 4 && s.path("draws").asLong() > draws
                        && !s.path("plot").asText().equals(plot), "four more samples drawn");
                assertEquals("no failed polls", 0, later.path("failures").asInt());

                // the rates shown are policed to the contracts (peak rates) and flow at about them
                assertRate(later, "0.0.170 tx", 40000);
                assertRate(later, "0.0.171 tx", 15000);

                // a connection that closes leaves the table and is marked closed in the legend
                platform.atm("atm:close 0.0.171");
                JsonNode closed = await(browser, s -> s.path("closed").toString().contains("0.0.171")
                        && !s.path("rows").toString().contains("0.0.171 tx"), "0.0.171 shown closed");
                assertTrue(closed.path("rows").toString(), closed.path("rows").toString().contains("0.0.170 tx"));
                Files.write(Path.of(System.getProperty(PlatformBundlesIT.WORK_DIR_PROPERTY, "target/itest-work"))
                        .resolve("rate-page.png"), browser.screenshot());
            }
            platform.atm("atm:close all");
        }
    }

    /**
     * The page's rate of a connection against the SDU payload rate its peak rate allows with 4096-byte SDUs (86
     * cells each): the last sample shown in the table and the mean of the plotted points never exceed it by more than
     * a sample's quantisation (policing), and the mean reaches a good part of it (the machine is shared, so not all).
     */
    static void assertRate(JsonNode state, String row, int pcr) {
        double contract = pcr / 86.0 * 4096 * 8 / 1e6;
        double mean = state.path("means").path(row).asDouble(-1) / 1e6;
        assertTrue(row + " plotted at a mean of " + mean + " Mbit/s, contract " + contract + ": " + state.path("means"),
                mean > 0.5 * contract && mean < 1.15 * contract);
        for (JsonNode r : state.path("rows")) {
            if (r.asText().startsWith(row + " ")) {
                double shown = Double.parseDouble(r.asText().substring(row.length() + 1));
                assertTrue(row + " shown at " + shown + " Mbit/s, contract " + contract, shown > 0 && shown < 1.3 * contract);
                return;
            }
        }
        throw new AssertionError(row + " not in " + state.path("rows"));
    }

    /** Asks the page for its state until the condition holds: no fixed sleeps. */
    static JsonNode await(HeadlessChromium browser, Predicate<JsonNode> condition, String what) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        JsonNode state;
        do {
            state = new com.fasterxml.jackson.databind.ObjectMapper().readTree(browser.evaluate(PAGE_STATE).asText());
            if (condition.test(state)) {
                return state;
            }
            RunningPlatform.sleep(Duration.ofMillis(100));
        } while (System.nanoTime() - end < 0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) state).remove("plot");
        throw new AssertionError("after " + DEADLINE + ", not " + what + "; the page says " + state + "\nchromium:\n" + browser.output());
    }
}
