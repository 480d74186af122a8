package org.drops.atm.api.device;

/**
 * Counters of one interface (after the PCA-200E's statistics blocks: PHY/HEC, ATM, AAL5, buffers). Every
 * received cell is delivered in a PDU, counted under exactly one drop reason, or still in reassembly, so that
 * {@code cellsIn = cellsInDeliveredPdus + droppedCells + cellsInReassembly}.
 *
 * @param cellsOut                     cells sent
 * @param pdusOut                      PDUs sent
 * @param cellsIn                      cells received (well-formed 53-byte cells, before HEC checking)
 * @param pdusIn                       PDUs delivered to the protocol
 * @param cellsInDeliveredPdus         cells of the delivered PDUs
 * @param droppedCells                 cells dropped, over all reasons below
 * @param hecCorrected                 cells with a single-bit header error, corrected (I.432 correction mode)
 * @param hecDiscarded                 cells discarded for header errors
 * @param idleCells                    idle or unassigned cells discarded
 * @param unknownVcCells               cells for VCs not open
 * @param oamCells                     OAM and resource-management cells (PTI 4–7), which this card does not process
 * @param crcErrors                    PDUs dropped: AAL5 CRC-32 mismatch
 * @param lengthErrors                 PDUs dropped: length field inconsistent
 * @param oversizeDrops                PDUs dropped: longer than max_sdu
 * @param timeoutDrops                 partial PDUs dropped after the reassembly timeout
 * @param guaranteedPoolDrops          PDUs dropped: guaranteed pool empty
 * @param bestEffortPoolDrops          PDUs discarded early: best-effort pool empty
 * @param malformedDatagrams           link datagrams that were not whole cells (UDP link)
 * @param foreignDatagrams             link datagrams from an address other than the configured peer
 * @param datagramsIn                  link datagrams received, all of them (UDP link; 0 on the memory link): the
 *                                     whole-cell datagrams from the peer, whose cells {@code cellsIn} counts, plus
 *                                     {@code malformedDatagrams} plus {@code foreignDatagrams}. Compared with what a
 *                                     peer sent, it tells datagrams the kernel dropped from those the device dropped.
 * @param staleDatagrams               link datagrams from the peer that came late (after a later one) or twice and
 *                                     were dropped, so that cells are never reordered or duplicated (UDP link)
 * @param lostDatagrams                numbers the peer's datagram sequence skipped: datagrams lost on the way, or
 *                                     dropped as late (UDP link); their cells never arrived, so they are not in
 *                                     {@code cellsIn}
 * @param cellsInReassembly            cells of PDUs still being reassembled (neither delivered nor dropped yet)
 * @param guaranteedPoolBuffers        buffers in the guaranteed pool
 * @param guaranteedPoolFree           of which free now
 * @param bestEffortPoolBuffers        buffers in the best-effort pool
 * @param bestEffortPoolFree           of which free now
 * @param bufferBytes                  size of one pool buffer
 */
public record DeviceStatistics(
        long cellsOut,
        long pdusOut,
        long cellsIn,
        long pdusIn,
        long cellsInDeliveredPdus,
        long droppedCells,
        long hecCorrected,
        long hecDiscarded,
        long idleCells,
        long unknownVcCells,
        long oamCells,
        long crcErrors,
        long lengthErrors,
        long oversizeDrops,
        long timeoutDrops,
        long guaranteedPoolDrops,
        long bestEffortPoolDrops,
        long malformedDatagrams,
        long foreignDatagrams,
        long datagramsIn,
        long staleDatagrams,
        long lostDatagrams,
        long cellsInReassembly,
        int guaranteedPoolBuffers,
        int guaranteedPoolFree,
        int bestEffortPoolBuffers,
        int bestEffortPoolFree,
        int bufferBytes) {

    /** The statistics without the datagram counters of API 1.1 ({@code datagramsIn}, {@code staleDatagrams},
     * {@code lostDatagrams}), which are then 0. */
    public DeviceStatistics(long cellsOut, long pdusOut, long cellsIn, long pdusIn, long cellsInDeliveredPdus,
            long droppedCells, long hecCorrected, long hecDiscarded, long idleCells, long unknownVcCells, long oamCells,
            long crcErrors, long lengthErrors, long oversizeDrops, long timeoutDrops, long guaranteedPoolDrops,
            long bestEffortPoolDrops, long malformedDatagrams, long foreignDatagrams, long cellsInReassembly,
            int guaranteedPoolBuffers, int guaranteedPoolFree, int bestEffortPoolBuffers, int bestEffortPoolFree,
            int bufferBytes) {
        this(cellsOut, pdusOut, cellsIn, pdusIn, cellsInDeliveredPdus, droppedCells, hecCorrected, hecDiscarded,
                idleCells, unknownVcCells, oamCells, crcErrors, lengthErrors, oversizeDrops, timeoutDrops,
                guaranteedPoolDrops, bestEffortPoolDrops, malformedDatagrams, foreignDatagrams, 0, 0, 0, cellsInReassembly,
                guaranteedPoolBuffers, guaranteedPoolFree, bestEffortPoolBuffers, bestEffortPoolFree, bufferBytes);
    }
}
