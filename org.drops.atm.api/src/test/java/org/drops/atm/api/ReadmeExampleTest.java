package org.drops.atm.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's example is the code in {@link ReadmeExample}, which compiles against the API. */
class ReadmeExampleTest {

    @Test
    void readmeShowsTheCompiledExampleVerbatim() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        String readme = Files.readString(module.resolveSibling("README.md"));
        List<String> lines = Files.readAllLines(module.resolve("src/test/java/org/drops/atm/api/ReadmeExample.java"));
        int begin = lines.indexOf("    // README: begin");
        int end = lines.indexOf("    // README: end");
        assertTrue(begin >= 0 && end > begin, "markers in ReadmeExample.java");
        StringBuilder snippet = new StringBuilder();
        for (String line : lines.subList(begin + 1, end)) {
            snippet.append(line.startsWith("    ") ? line.substring(4) : line).append('\n');
        }
        assertTrue(readme.contains(snippet), "README.md must contain the example of ReadmeExample.java verbatim:\n" + snippet);
    }
}
