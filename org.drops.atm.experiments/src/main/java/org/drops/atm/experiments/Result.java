package org.drops.atm.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;

/**
 * What an experiment produced: a paper-style text table, CSV rows, plots, and its targets with the measured
 * values, each marked met or not (a target not met is reported, never hidden).
 */
public final class Result {

    /** A target: what was asked, what was measured, whether it holds. */
    public record Check(String target, String measured, boolean met) {
    }

    final String name;
    final String title;
    final List<String> tableLines = new ArrayList<>();
    final List<List<String>> csv = new ArrayList<>();
    final List<JFreeChart> charts = new ArrayList<>();
    final List<Check> checks = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    public Result(String name, String title) {
        this.name = name;
        this.title = title;
    }

    public Result line(String format, Object... args) {
        tableLines.add(String.format(Locale.ROOT, format, args));
        return this;
    }

    public Result csv(Object... cells) {
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(c instanceof Double ? String.format(Locale.ROOT, "%.6g", (Double) c) : String.valueOf(c));
        }
        csv.add(row);
        return this;
    }

    public Result chart(JFreeChart chart) {
        charts.add(chart);
        return this;
    }

    public Result check(String target, String measured, boolean met) {
        checks.add(new Check(target, measured, met));
        return this;
    }

    public Result note(String format, Object... args) {
        notes.add(String.format(Locale.ROOT, format, args));
        return this;
    }

    /** True if every target is met. */
    public boolean passed() {
        return checks.stream().allMatch(Check::met);
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    /** The text report: title, table, targets, notes. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(title).append('\n').append("=".repeat(title.length())).append("\n\n");
        tableLines.forEach(l -> b.append(l).append('\n'));
        if (!checks.isEmpty()) {
            b.append("\nTargets\n");
            for (Check c : checks) {
                b.append(c.met() ? "  [met]     " : "  [NOT MET] ").append(c.target()).append(": ").append(c.measured()).append('\n');
            }
        }
        if (!notes.isEmpty()) {
            b.append("\nNotes\n");
            notes.forEach(n -> b.append("  ").append(n).append('\n'));
        }
        return b.toString();
    }
}
