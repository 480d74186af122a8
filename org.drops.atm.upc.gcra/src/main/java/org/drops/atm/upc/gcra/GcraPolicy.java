package org.drops.atm.upc.gcra;

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
 * The ITU-T I.371 policy, service property {@code atm.policy.name=gcra}:
 * <ul>
 * <li>CBR, and UBR with a peak rate: GCRA(1/PCR, CDVT) ({@link GcraMeter}).</li>
 * <li>rt-VBR, nrt-VBR: GCRA(1/PCR, CDVT) and GCRA(1/SCR, BT + CDVT) ({@link DualGcraMeter}).</li>
 * <li>UBR without a peak rate: not metered ({@link UnlimitedMeter}).</li>
 * </ul>
 * CDVT is the contract's {@code max_cdv}. Threading: {@link #newMeter} from any thread.
 */
@Component(service = PolicingPolicy.class, configurationPid = GcraPolicy.PID,
        property = {PolicingPolicy.NAME + "=" + GcraPolicy.NAME,
                "service.ranking:Integer=" + GcraConfiguration.DEFAULT_SERVICE_RANKING})
@Designate(ocd = GcraConfiguration.class)
public final class GcraPolicy implements PolicingPolicy {

    /** The value of {@link PolicingPolicy#NAME}. */
    public static final String NAME = "gcra";
    /** The configuration PID. */
    public static final String PID = "org.drops.atm.upc.gcra";

    // volatile: written by SCR's thread on (re)configuration, read by whichever thread opens a connection
    private volatile long linkCellsPerSecond = GcraConfiguration.DEFAULT_LINK_PCR;

    /** With the defaults of {@link GcraConfiguration}; DS then applies the configuration. */
    public GcraPolicy() {
    }

    @Activate
    @Modified
    void configure(GcraConfiguration config) {
        if (config.link_pcr() <= 0) {
            throw new IllegalArgumentException("link.pcr must be a positive number of cells/s, not " + config.link_pcr());
        }
        linkCellsPerSecond = config.link_pcr();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ITU-T I.371 GCRA by virtual scheduling, PDU = its cells: CBR GCRA(1/PCR, CDVT); "
                + "VBR dual GCRA with BT = (MBS-1)(1/SCR-1/PCR); exact waits, no clumping";
    }

    @Override
    public Meter newMeter(TrafficParameters contract, Aal aal, Direction direction, long startNanos) {
        PolicedContract c = PolicedContract.of(contract, aal, linkCellsPerSecond);
        if (c.unlimited()) {
            return UnlimitedMeter.INSTANCE;
        }
        long cdvtNanos = c.cdvMicros() * 1_000L;
        Gcra peak = new Gcra(startNanos, c.peakCellsPerSecond(), cdvtNanos);
        if (!c.variableBitRate()) {
            return new GcraMeter(peak);
        }
        long bt = DualGcraMeter.burstToleranceNanos(c.burstCells(), c.sustainedCellsPerSecond(), c.peakCellsPerSecond());
        return new DualGcraMeter(peak, new Gcra(startNanos, c.sustainedCellsPerSecond(), bt + cdvtNanos));
    }

    @Override
    public String toString() {
        return NAME + " (pcr=max is " + linkCellsPerSecond + " cells/s)";
    }
}
