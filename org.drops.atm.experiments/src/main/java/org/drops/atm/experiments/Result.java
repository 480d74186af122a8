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

    /**
     * A target (the full-mode goal, reported met or not, never hidden) or a bound (what a correct
     * implementation meets even in the short mode on a loaded 2-core machine: CI fails when a bound fails).
     */
    public record Check(String target, String measured, boolean met, boolean bound) {
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

    /** A full-mode target of the issue: reported, met or not. */
    public Result check(String target, String measured, boolean met) {
        checks.add(new Check(target, measured, met, false));
        return this;
    }

    /** A bound every run must meet, short mode included (CI asserts it). */
    public Result bound(String bound, String measured, boolean holds) {
        checks.add(new Check(bound, measured, holds, true));
        return this;
    }

    public Result note(String format, Object... args) {
        notes.add(String.format(Locale.ROOT, format, args));
        return this;
    }

    /** True if every bound holds (targets may still be unmet: they are reported). */
    public boolean boundsHold() {
        return checks.stream().filter(Check::bound).allMatch(Check::met);
    }

    /** True if every target and bound is met. */
    public boolean allMet() {
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
        if (checks.stream().anyMatch(c -> !c.bound())) {
            b.append("\nTargets (issue 9, full mode)\n");
            checks.stream().filter(c -> !c.bound()).forEach(c -> b.append(c.met() ? "  [met]     " : "  [NOT MET] ")
                    .append(c.target()).append(": ").append(c.measured()).append('\n'));
        }
        if (checks.stream().anyMatch(Check::bound)) {
            b.append("\nBounds (every run, CI)\n");
            checks.stream().filter(Check::bound).forEach(c -> b.append(c.met() ? "  [holds]   " : "  [FAILS]   ")
                    .append(c.target()).append(": ").append(c.measured()).append('\n'));
        }
        if (!notes.isEmpty()) {
            b.append("\nNotes\n");
            notes.forEach(n -> b.append("  ").append(n).append('\n'));
        }
        return b.toString();
    }
}
