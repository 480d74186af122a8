package org.drops.atm.upc.gcra;

import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.TrafficParameters;

/**
 * What UPC needs of a direction's contract, in the contract's own unit, cells (paper §2.5 counts bytes; a
 * cell here is 48 bytes of AAL5 CPCS-PDU: SDU, padding and the 8-byte trailer, so the credit covers exactly
 * what the line carries).
 *
 * @param peakCellsPerSecond      PCR; {@code max} resolved to the link's rate; 0 for a UBR contract without
 *                                a peak rate (not metered)
 * @param sustainedCellsPerSecond SCR for VBR, else the PCR
 * @param burstCells              MBS for VBR, else 0
 * @param pduCells                cells of the largest PDU: {@code ceil((max_sdu + 8) / 48)} for AAL5, 1 for AAL0
 * @param cdvMicros               the delay-variation tolerance ({@code max_cdv}, default 9999 µs)
 * @param variableBitRate         rt-VBR or nrt-VBR
 *
 * <p>The same as in the interval-credit bundle: the two policy bundles share no private code, so that either
 * can be updated or stopped alone.
 */
record PolicedContract(long peakCellsPerSecond, long sustainedCellsPerSecond, long burstCells, long pduCells,
        int cdvMicros, boolean variableBitRate) {

    /**
     * @param linkCellsPerSecond the rate {@code pcr=max} stands for (the policy's configuration: the SPI does
     *                           not pass the interface's line rate)
     * @throws IllegalArgumentException naming the field if the contract carries no traffic
     */
    static PolicedContract of(TrafficParameters contract, Aal aal, long linkCellsPerSecond) {
        if (!contract.trafficClass().carriesParameters()) {
            throw new IllegalArgumentException("class: a direction of class " + contract.trafficClass()
                    + " carries no traffic and needs no meter");
        }
        long pduCells = aal == Aal.AAL0 ? 1 : CellRates.aal5CellsPerSdu(contract.effectiveMaxSduBytes(aal));
        int top = contract.topPcrCps();
        long peak;
        if (top == TrafficParameters.MAX_PCR) {
            // UBR without a peak rate is best effort: nothing to police (TM 4.0: "PCR may not be enforced").
            peak = contract.trafficClass().isGuaranteed() ? linkCellsPerSecond : 0;
        } else {
            peak = top;
        }
        boolean vbr = contract.trafficClass().isVariableBitRate();
        if (vbr) {
            // pcr=max on a link slower than scr: the contract cannot be carried anyway (CAC refuses it); police
            // at scr rather than with a peak below the sustainable rate.
            peak = Math.max(peak, contract.scrCps());
        }
        return new PolicedContract(peak, vbr ? contract.scrCps() : peak, vbr ? contract.mbsCells() : 0, pduCells,
                contract.effectiveMaxCdvMicros(), vbr);
    }

    /** True for a UBR contract without a peak cell rate. */
    boolean unlimited() {
        return peakCellsPerSecond == 0;
    }
}
