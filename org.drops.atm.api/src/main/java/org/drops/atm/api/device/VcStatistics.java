package org.drops.atm.api.device;

/**
 * Counters of one virtual channel. Every received cell of the channel is either part of a delivered PDU or
 * counted under one drop reason.
 *
 * @param cellsOut        cells sent
 * @param pdusOut         PDUs sent
 * @param cellsIn         cells received for this channel
 * @param pdusIn          PDUs delivered to the protocol
 * @param crcErrors       PDUs dropped: AAL5 CRC-32 mismatch
 * @param lengthErrors    PDUs dropped: length field inconsistent with the cell count
 * @param oversizeDrops   PDUs dropped: longer than the channel's max_sdu
 * @param timeoutDrops    partial PDUs dropped after the reassembly timeout
 * @param poolDrops       PDUs discarded early because the channel's receive pool was empty
 * @param droppedCells    cells of all dropped PDUs
 */
public record VcStatistics(
        long cellsOut,
        long pdusOut,
        long cellsIn,
        long pdusIn,
        long crcErrors,
        long lengthErrors,
        long oversizeDrops,
        long timeoutDrops,
        long poolDrops,
        long droppedCells) {
}
