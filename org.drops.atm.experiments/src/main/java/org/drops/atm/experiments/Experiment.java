package org.drops.atm.experiments;

/** One experiment of the paper's evaluation (§4), runnable in a short mode (CI) and a full mode. */
public interface Experiment {

    /** Short name for the command line: {@code table1}, {@code table2}, {@code fig8}, … */
    String name();

    /** What it reproduces, for the progress line and the table header. */
    String title();

    /**
     * Runs the experiment on the platform.
     *
     * @param full the full mode (paper-length runs); otherwise the short mode CI runs
     */
    Result run(Lab lab, boolean full) throws Exception;

    /**
     * Whether the runner measures the machine's own wake-up latency beside this experiment ({@link HostLatency}):
     * for the real-time experiments, whose gaps it explains. Not for the throughput and CPU-cost ones, which its
     * thousand wake-ups a second per processor would disturb.
     */
    default boolean watchesHost() {
        return false;
    }
}
