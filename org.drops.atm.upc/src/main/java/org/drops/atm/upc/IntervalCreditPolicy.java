package org.drops.atm.upc;

import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficParameters;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The paper's policy (§2.5, §3.2), service property {@code atm.policy.name=interval-credit}: each connection and
 * direction has a control interval on an absolute schedule from the connection's start; at each interval start
 * it receives credit = rate × interval in cells, and credit not used is lost.
 *
 * <ul>
 * <li>CBR, and UBR with a peak rate: one schedule at PCR ({@link IntervalCreditMeter}).</li>
 * <li>rt-VBR, nrt-VBR: SCR over the interval, PCR as a ceiling on the burst ({@link VbrIntervalCreditMeter}).</li>
 * <li>UBR without a peak rate: not metered ({@link UnlimitedMeter}).</li>
 * </ul>
 *
 * <p>Threading: {@link #newMeter} from any thread, concurrently with reconfiguration (the settings are one
 * immutable object behind a volatile reference).
 */
@Component(service = PolicingPolicy.class, configurationPid = IntervalCreditPolicy.PID,
        property = {PolicingPolicy.NAME + "=" + IntervalCreditPolicy.NAME,
                "service.ranking:Integer=" + IntervalCreditConfiguration.DEFAULT_SERVICE_RANKING})
@Designate(ocd = IntervalCreditConfiguration.class)
public final class IntervalCreditPolicy implements PolicingPolicy {

    /** The value of {@link PolicingPolicy#NAME}. */
    public static final String NAME = "interval-credit";
    /** The configuration PID. */
    public static final String PID = "org.drops.atm.upc.intervalcredit";

    /** What newMeter reads; replaced whole on reconfiguration. */
    private record Settings(IntervalLength intervalLength, long linkCellsPerSecond) {
    }

    // volatile: written by SCR's thread on (re)configuration, read by whichever thread opens a connection
    private volatile Settings settings = new Settings(IntervalLength.defaults(),
            IntervalCreditConfiguration.DEFAULT_LINK_PCR);

    /** With the defaults of {@link IntervalCreditConfiguration}; DS then applies the configuration. */
    public IntervalCreditPolicy() {
    }

    @Activate
    @Modified
    void configure(IntervalCreditConfiguration config) {
        if (config.link_pcr() <= 0) {
            throw new IllegalArgumentException("link.pcr must be a positive number of cells/s, not " + config.link_pcr());
        }
        settings = new Settings(new IntervalLength(config.jitter_sensitive_max_cdv_us(),
                config.jitter_insensitive_min_cdv_us(), config.jitter_sensitive_pdus(), config.default_pdus(),
                config.jitter_insensitive_pdus()),
                config.link_pcr());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "paper 2.5/3.2: fresh credit at each control interval (2/10/50 PDUs by max_cdv), no carry-over; "
                + "VBR: SCR per interval, PCR per burst sub-interval";
    }

    @Override
    public Meter newMeter(TrafficParameters contract, Aal aal, Direction direction, long startNanos) {
        Settings s = settings;
        PolicedContract c = PolicedContract.of(contract, aal, s.linkCellsPerSecond());
        if (c.unlimited()) {
            return UnlimitedMeter.INSTANCE;
        }
        long pdus = s.intervalLength().pdusPerInterval(c.cdvMicros());
        if (!c.variableBitRate()) {
            return new IntervalCreditMeter(new IntervalSchedule(startNanos, pdus * c.pduCells(), c.peakCellsPerSecond()),
                    direction == Direction.RECEIVE);
        }
        return vbrMeter(c, pdus, startNanos);
    }

    /** See {@link VbrIntervalCreditMeter} for the definition this implements. */
    static Meter vbrMeter(PolicedContract c, long pdus, long startNanos) {
        IntervalSchedule sustained = new IntervalSchedule(startNanos, pdus * c.pduCells(), c.sustainedCellsPerSecond());
        // no sub-interval shorter than a nanosecond, and m·lengthRest must fit a long
        long maxSubIntervals = Math.min(Integer.MAX_VALUE, sustained.intervalNanos() - 1);
        long burstPdus = Math.max(1, Math.min(pdus, c.burstCells() / c.pduCells()));
        for (long b = burstPdus; b >= 1; b--) {
            // m·b·c ≤ PCR·(N·c/SCR): no sub-interval gets more credit than PCR delivers in it
            long m = Math.min(maxSubIntervals, pdus * c.peakCellsPerSecond() / (c.sustainedCellsPerSecond() * b));
            if (m * b >= pdus) {
                return m == 1 ? new IntervalCreditMeter(sustained)
                        : new VbrIntervalCreditMeter(sustained, m, b * c.pduCells());
            }
        }
        // Only at rates where a sub-interval would be shorter than a nanosecond: the ceiling cannot be expressed,
        // the sustained credit alone meters (the line is the ceiling).
        return new IntervalCreditMeter(sustained);
    }

    @Override
    public String toString() {
        Settings s = settings;
        return NAME + " (" + s.intervalLength() + "; pcr=max is " + s.linkCellsPerSecond() + " cells/s)";
    }
}
