package org.drops.atm.itest;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Issue 9 in CI: every experiment's short mode runs on the platform through the {@code atm:experiment} command,
 * and every bound holds (the full-mode targets are reported in the results, checked by the full mode).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExperimentsIT {

    @Inject
    CommandProcessor commands;

    @Configuration
    public Option[] configuration() throws IOException {
        List<Option> options = new ArrayList<>(Arrays.asList(PlatformBundlesIT.platform()));
        Path jar = Path.of(System.getProperty("atm.experiments.jar"));
        options.add(bundle(jar.toUri().toString()).start());
        Path results = Path.of(System.getProperty(PlatformBundlesIT.WORK_DIR_PROPERTY, "target/itest-work"), "results");
        options.add(systemProperty("atm.results").value(results.toAbsolutePath().toString()));
        options.add(systemProperty("java.awt.headless").value("true"));
        return options.toArray(Option[]::new);
    }

    @Test
    public void everyExperimentRunsInShortModeWithItsBoundsHolding() throws Exception {
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        java.io.PrintStream sink = new java.io.PrintStream(console, true);
        try (CommandSession session = commands.createSession(new java.io.ByteArrayInputStream(new byte[0]), sink, sink)) {
            Object out = session.execute("atm:experiment all");
            String text = String.valueOf(out);
            System.out.println(text);
            assertTrue("experiment bounds failed:\n" + text, text.contains("BOUNDS HOLD"));
        }
    }
}
