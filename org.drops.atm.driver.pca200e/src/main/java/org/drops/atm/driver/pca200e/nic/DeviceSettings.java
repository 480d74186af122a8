package org.drops.atm.driver.pca200e.nic;

/**
 * The settings of one emulated PCA-200E, independent of OSGi configuration so the model can be built in tests.
 *
 * @param itf                     interface number
 * @param name                    display name
 * @param lineCellsPerSecond      line cell rate; {@link Double#POSITIVE_INFINITY} for an unpaced line
 * @param txFifoCells             best-effort transmit FIFO depth in cells; a full FIFO blocks the sender
 * @param guaranteedPoolBuffers   receive buffers for guaranteed VCs
 * @param bestEffortPoolBuffers   receive buffers for best-effort VCs
 * @param maxSduBytes             largest SDU a receive buffer holds (buffers are sized for its AAL5 PDU)
 * @param reassemblyTimeoutNanos  a partial PDU older than this is dropped
 * @param cbrRateControl          pace CBR VCs at their peak cell rate in the "hardware" (fore200e.c rate field)
 * @param txGuaranteedFifoCells   guaranteed transmit FIFO depth in cells
 * @param txShapingCdvFraction    share of a VC's delay-variation tolerance its transmit rate control may use, (0, 1]
 */
public record DeviceSettings(int itf, String name, double lineCellsPerSecond, int txFifoCells,
        int guaranteedPoolBuffers, int bestEffortPoolBuffers, int maxSduBytes, long reassemblyTimeoutNanos,
        boolean cbrRateControl, int txGuaranteedFifoCells, double txShapingCdvFraction) {

    /**
     * Default share of the contract's CDV tolerance τ the card's per-VC rate control lets a sender run ahead: half.
     * The tolerance is the receiver's (and the network's, I.371 §7.2.2: CDVT covers the variation added between
     * the source and the interface where the contract is checked), not the sender's alone: PDUs that left up to
     * τ early, then waited behind other VCs' bursts in the guaranteed FIFO, reached the receiver more than τ early
     * and were dropped as non-conforming or overflowed its ring of ⌈τ/T⌉+1 slots (issue 10, the soak). With τ/2
     * here, the FIFO's variation is bounded too: its backlog is the guaranteed VCs' bursts of at most
     * τ_i/2·rate_i cells each, which the line carries within max τ_i/2 as long as the reserved rates fit the line
     * (admission control sees to that), so arrivals stay within τ for VCs of equal tolerance.
     */
    public static final double DEFAULT_TX_SHAPING_CDV_FRACTION = 0.5;

    /**
     * Default depth of the guaranteed transmit FIFO: 16384 cells, 46 ms of OC-3 (868 KiB). The interval-credit
     * policy lets every guaranteed connection send its whole interval credit at the interval start (paper §2.5), so
     * the bursts of several connections can meet; a FIFO that holds them all lets each worker hand over its burst
     * at once, and the line carries them within the sum of the bursts' line times. A FIFO that holds less makes
     * the workers take turns PDU by PDU: four aligned 10-PDU bursts of 8192-byte SDUs (Figure 8's CBR 10/20/30/40)
     * then kept the 40 Mbit/s worker 19 ms on its ten sends, longer than its 16.4-ms interval, and the credit
     * it had not used by then was lost. The board's transmit queue held 256 PDUs of any size (ATM-FACTS §6.2).
     */
    public static final int DEFAULT_GUARANTEED_FIFO_CELLS = 16384;

    /** The settings with the default guaranteed FIFO depth. */
    public DeviceSettings(int itf, String name, double lineCellsPerSecond, int txFifoCells, int guaranteedPoolBuffers,
            int bestEffortPoolBuffers, int maxSduBytes, long reassemblyTimeoutNanos, boolean cbrRateControl) {
        this(itf, name, lineCellsPerSecond, txFifoCells, guaranteedPoolBuffers, bestEffortPoolBuffers, maxSduBytes,
                reassemblyTimeoutNanos, cbrRateControl, DEFAULT_GUARANTEED_FIFO_CELLS, DEFAULT_TX_SHAPING_CDV_FRACTION);
    }

    public DeviceSettings {
        if (itf < 0 || itf > Short.MAX_VALUE) {
            throw new IllegalArgumentException("atm.itf: " + itf + " is outside 0.." + Short.MAX_VALUE);
        }
        if (!(lineCellsPerSecond > 0)) {
            throw new IllegalArgumentException("line.rate: must be positive, not " + lineCellsPerSecond);
        }
        if (txFifoCells < 1) {
            throw new IllegalArgumentException("tx.fifo.cells: must be positive, not " + txFifoCells);
        }
        if (txGuaranteedFifoCells < 1) {
            throw new IllegalArgumentException("tx.fifo.guaranteed.cells: must be positive, not " + txGuaranteedFifoCells);
        }
        if (!(txShapingCdvFraction > 0 && txShapingCdvFraction <= 1)) {
            throw new IllegalArgumentException("tx.shaping.cdv.fraction: must be greater than 0 and at most 1, not " + txShapingCdvFraction);
        }
        if (guaranteedPoolBuffers < 1 || bestEffortPoolBuffers < 1) {
            throw new IllegalArgumentException("pool buffers: both pools need at least one buffer, not "
                    + guaranteedPoolBuffers + " and " + bestEffortPoolBuffers);
        }
        if (maxSduBytes < 0 || maxSduBytes > 65535) {
            throw new IllegalArgumentException("max.sdu: must be 0..65535, not " + maxSduBytes);
        }
        if (reassemblyTimeoutNanos <= 0) {
            throw new IllegalArgumentException("reassembly.timeout: must be positive, not " + reassemblyTimeoutNanos);
        }
        name = name == null || name.isBlank() ? "pca200e" + itf : name;
    }

    /** Defaults for interface {@code itf} at OC-3: a 2048-cell FIFO, 64 + 64 receive buffers, 100 ms timeout. */
    public static DeviceSettings oc3(int itf) {
        return new DeviceSettings(itf, null, org.drops.atm.api.qos.CellRates.OC3_CELLS_PER_SECOND, 2048, 64, 64, 65535,
                100_000_000L, true);
    }

    /** The same settings with another line rate. */
    public DeviceSettings withLineCellsPerSecond(double cellsPerSecond) {
        return new DeviceSettings(itf, name, cellsPerSecond, txFifoCells, guaranteedPoolBuffers, bestEffortPoolBuffers,
                maxSduBytes, reassemblyTimeoutNanos, cbrRateControl, txGuaranteedFifoCells, txShapingCdvFraction);
    }

    /** The same settings with other pool sizes. */
    public DeviceSettings withPools(int guaranteedBuffers, int bestEffortBuffers) {
        return new DeviceSettings(itf, name, lineCellsPerSecond, txFifoCells, guaranteedBuffers, bestEffortBuffers,
                maxSduBytes, reassemblyTimeoutNanos, cbrRateControl, txGuaranteedFifoCells, txShapingCdvFraction);
    }

    /** The same settings with another reassembly timeout. */
    public DeviceSettings withReassemblyTimeoutNanos(long nanos) {
        return new DeviceSettings(itf, name, lineCellsPerSecond, txFifoCells, guaranteedPoolBuffers,
                bestEffortPoolBuffers, maxSduBytes, nanos, cbrRateControl, txGuaranteedFifoCells, txShapingCdvFraction);
    }
}
