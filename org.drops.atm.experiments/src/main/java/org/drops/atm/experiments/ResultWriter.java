package org.drops.atm.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;

/** Writes a result as {@code <name>.txt}, {@code <name>.csv} and {@code <name>[-k].png} into a results folder. */
final class ResultWriter {

    private ResultWriter() {
    }

    static List<Path> write(Path folder, Result result) throws IOException {
        Files.createDirectories(folder);
        Path txt = folder.resolve(result.name + ".txt");
        Files.writeString(txt, result.text());
        Path csv = folder.resolve(result.name + ".csv");
        StringBuilder b = new StringBuilder();
        for (List<String> row : result.csv) {
            b.append(String.join(",", row.stream().map(ResultWriter::csvCell).toList())).append('\n');
        }
        Files.writeString(csv, b.toString());
        java.util.ArrayList<Path> written = new java.util.ArrayList<>(List.of(txt, csv));
        for (int i = 0; i < result.charts.size(); i++) {
            Path png = folder.resolve(result.name + (i == 0 ? "" : "-" + (i + 1)) + ".png");
            ChartUtils.saveChartAsPNG(png.toFile(), result.charts.get(i), 1000, 600);
            written.add(png);
        }
        return written;
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
