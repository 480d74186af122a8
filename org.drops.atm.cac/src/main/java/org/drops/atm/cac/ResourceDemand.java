package org.drops.atm.cac;

import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.qos.Direction;

/**
 * What one direction of a connection takes from each of the paper's three resources (§2.4, §3.1), in the
 * books' exact integer units. Every amount grows (or stays) as the reserved rate grows, which is what lets the
 * recommendation search for the largest rate that fits.
 *
 * @param bandwidthCellsPerSecond cells per second reserved on the interface (0 for best effort)
 * @param slotCount               ring slots
 * @param slotBytes               bytes per slot: the largest SDU
 * @param cpuNanosPerSecond       processor time per second, U·10⁹ rounded up (0 for best effort)
 */
record ResourceDemand(long bandwidthCellsPerSecond, long slotCount, int slotBytes, long cpuNanosPerSecond) {

    /**
     * The demand of {@code contract} under {@code settings} and {@code cpu}:
     * <ul>
     * <li>bandwidth: the reserved cell rate;</li>
     * <li>buffers (paper §2.4): transmit, {@code transmitSlots} slots of the largest SDU, and for a guaranteed
     * connection at least what the stream model below gives (a writer late by up to τ loses no credit); receive, best effort
     * {@code ubrReceiveSlots}; receive, guaranteed, the jitter-constrained stream model with
     * {@code D = cellsPerSdu / line}, {@code T = cellsPerSdu / reserved}, {@code τ = max_cdv}: P = ⌈τ/T⌉, plus
     * for VBR the SDUs a burst of {@code mbs} cells can bring ahead of the sustainable rate, plus the slot in
     * use, plus ⌈slack/T⌉ for a reader late by up to {@code receiveSlackMicros};</li>
     * <li>CPU (paper equations 3 and 4): {@code reserved / cellsPerSdu} PDUs per second, each costing
     * {@link CpuModel#nanosPerPdu(Direction, int, double)} of its size, direction and rate.</li>
     * </ul>
     */
    static ResourceDemand of(StreamContract contract, AdmissionSettings settings, CpuModel cpu) {
        long reserved = contract.reservedCellsPerSecond();
        long slots;
        if (contract.direction() == Direction.TRANSMIT) {
            slots = settings.transmitSlots();
            if (contract.guaranteed()) {
                // A writer may run late by its own tolerance τ and still keep its contract, and the policy may send
                // a whole interval's credit back to back (interval credits, paper §2.5): with only the double
                // buffer, every writer delay of more than a slot's time lost credit (issue 9, Figure 10: 2 slots,
                // 52-92 % of the intervals served under load). So the ring holds what the stream model gives the
                // receiver for the same contract, P = ⌈τ/T⌉ plus the VBR burst plus the slot in use.
                slots = Math.max(slots, streamSlots(contract, reserved));
            }
        } else if (!contract.guaranteed()) {
            slots = settings.ubrReceiveSlots();
        } else {
            slots = saturatedAdd(streamSlots(contract, reserved), slackSlots(contract, reserved, settings.receiveSlackMicros()));
        }
        long cpuNanos = 0;
        if (reserved > 0) {
            double pdusPerSecond = (double) reserved / contract.cellsPerSdu();
            // the cost at this rate: PDUs further apart wake the path with colder caches (CpuModel's gap term)
            double nanos = Math.max(0, cpu.nanosPerPdu(contract.direction(), contract.sduBytes(), pdusPerSecond));
            // rounded up: the books never promise a fraction of a nanosecond they do not have
            cpuNanos = (long) Math.ceil(pdusPerSecond * nanos);
        }
        return new ResourceDemand(reserved, slots, contract.sduBytes(), cpuNanos);
    }

    /** The jitter-constrained stream model's buffers for one SDU per event, the burst's SDUs and the slot in use. */
    private static long streamSlots(StreamContract contract, long reservedCellsPerSecond) {
        JitterConstrainedStream stream = JitterConstrainedStream.of(contract.cellsPerSdu(),
                contract.lineCellsPerSecond(), reservedCellsPerSecond, contract.toleranceMicros());
        return saturatedAdd(saturatedAdd(stream.bufferEvents(), burstSlots(contract)), 1);
    }

    /** The SDUs that arrive at the reserved rate while the reader is {@code slackMicros} late: ⌈slack/T⌉. */
    private static long slackSlots(StreamContract contract, long reservedCellsPerSecond, long slackMicros) {
        if (slackMicros == 0 || reservedCellsPerSecond == 0) {
            return 0;
        }
        return (long) Math.ceil(slackMicros * 1e-6 * reservedCellsPerSecond / contract.cellsPerSdu());
    }

    /**
     * VBR receive: a burst of up to {@code mbs} cells at the peak rate is conforming (GCRA(1/SCR, BT) with
     * BT = (MBS−1)(1/SCR − 1/PCR), ATM-FACTS §4.2), and in the stream model it widens τ by BT. Since
     * ⌈(τ+BT)/T⌉ ≤ ⌈τ/T⌉ + ⌈BT/T⌉ and BT/T = (MBS−1)(1 − SCR/PCR)/cellsPerSdu ≤ (MBS−1)/cellsPerSdu, reserving
     * ⌈(MBS−1)/cellsPerSdu⌉ more slots covers the burst and, unlike BT/T, does not shrink as SCR grows.
     */
    private static long burstSlots(StreamContract contract) {
        if (!contract.trafficClass().isVariableBitRate()) {
            return 0;
        }
        long extraCells = Math.max(0, contract.parameters().mbsCells() - 1L);
        return (extraCells + contract.cellsPerSdu() - 1) / contract.cellsPerSdu();
    }

    /** slotCount × slotBytes, or {@link Long#MAX_VALUE} if that does not fit in a long. */
    long bufferBytes() {
        long high = Math.multiplyHigh(slotCount, slotBytes);
        long bytes = slotCount * slotBytes;
        return high != 0 || bytes < 0 ? Long.MAX_VALUE : bytes;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
