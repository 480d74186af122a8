package org.drops.atm.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.server.ProtocolServer;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo command {@code atm:experiment}: runs the paper's experiments and writes their results. */
@Component(service = ExperimentCommand.class,
        property = {"osgi.command.scope=atm", "osgi.command.function=experiment"})
public final class ExperimentCommand {

    /** The results folder unless {@code --out} says otherwise: {@code atm.results}, else ./results. */
    static final String RESULTS_PROPERTY = "atm.results";

    @Reference
    private AtmSocketFactory sockets;

    @Reference
    private ProtocolServer server;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Reference
    private org.drops.atm.api.admission.AdmissionControl admission;

    static Map<String, Experiment> experiments() {
        Map<String, Experiment> all = new LinkedHashMap<>();
        for (Experiment e : List.of(new Table1Throughput(), new Table2Precision(), new Figure8Schedule(), new Figure10Load(),
                new Figure9Cost(), new OverheadExperiment(), new JitterExperiment())) {
            all.put(e.name(), e);
        }
        return all;
    }

    @Descriptor("run the paper's experiments (section 4) on this platform and write <name>.txt/.csv/.png per experiment")
    public String experiment(
            @Descriptor("write results here (default: the atm.results property, else ./results)")
            @Parameter(names = {"--out"}, absentValue = "") String out,
            @Descriptor("full mode: paper-length runs (default: the short mode)")
            @Parameter(names = {"--full"}, presentValue = "true", absentValue = "false") boolean full,
            @Descriptor("experiments to run: all, or names from: table1, table2, fig8, fig10, fig9, overhead, jitter") String... which) {
        Map<String, Experiment> all = experiments();
        List<Experiment> selected = new ArrayList<>();
        if (which.length == 0) {
            return usage(all, "no experiment named");
        }
        for (String name : which) {
            if (name.equals("all")) {
                selected.addAll(all.values());
            } else if (all.containsKey(name)) {
                selected.add(all.get(name));
            } else {
                return usage(all, "no experiment \"" + name + "\"");
            }
        }
        Path folder = Path.of(!out.isEmpty() ? out : System.getProperty(RESULTS_PROPERTY, "results")).toAbsolutePath();
        Lab lab = new Lab(sockets, server, configurationAdmin, admission, folder, System.out);
        StringBuilder summary = new StringBuilder();
        int failed = 0;
        int targetsMissed = 0;
        for (Experiment e : selected) {
            lab.progress("%s: %s (%s mode)", e.name(), e.title(), full ? "full" : "short");
            long startNanos = System.nanoTime();
            lab.watchHost(e.watchesHost() ? HostLatency.start() : null);
            try {
                Result r = e.run(lab, full);
                if (e.watchesHost()) {
                    r.line("");
                    r.line("%s", lab.hostLatency().summary(startNanos));
                }
                List<Path> files = ResultWriter.write(folder, r);
                summary.append(r.text()).append("files: ").append(files).append("\n\n");
                if (!r.boundsHold()) {
                    failed++;
                }
                if (!r.allMet()) {
                    targetsMissed++;
                }
            } catch (Exception | Error ex) {
                failed++;
                summary.append(e.name()).append(": FAILED TO RUN: ").append(ex).append("\n\n");
            } finally {
                lab.hostLatency(); // stops the meter whatever happened
                lab.watchHost(null);
            }
        }
        summary.append(failed == 0 ? "BOUNDS HOLD" : "BOUNDS FAIL in " + failed + " experiment(s)")
                .append(targetsMissed == 0 ? "; all targets met" : "; targets not met in " + targetsMissed + " experiment(s) (see above)")
                .append('\n');
        return summary.toString();
    }

    private static String usage(Map<String, Experiment> all, String problem) {
        StringBuilder b = new StringBuilder("atm:experiment: ").append(problem)
                .append("\nusage: atm:experiment [--full] [--out DIR] all|NAME...\nexperiments:\n");
        all.values().forEach(e -> b.append("  ").append(e.name()).append("  ").append(e.title()).append('\n'));
        return b.toString();
    }
}
