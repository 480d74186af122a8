package org.drops.atm.cac;

/**
 * What admission control has done since it started, a consistent snapshot. Every call to {@code admit} ends in
 * exactly one of the admitted or refused counters; every call to {@code release} in {@code released} or
 * {@code unknownReleases}.
 *
 * @param admitted            reservations made
 * @param refusedBandwidth    refusals for want of bandwidth
 * @param refusedBuffer       refusals for want of buffer space
 * @param refusedCpu          refusals for want of CPU time
 * @param refusedNeverFits    requests that can never fit (a rate above the line rate, an SDU above the largest)
 * @param refusedNoInterface  requests for an interface that has no AtmDevice service
 * @param released            reservations given back
 * @param unknownReleases     releases of reservations that were released before or never made here (harmless)
 */
record AdmissionCounters(long admitted, long refusedBandwidth, long refusedBuffer, long refusedCpu,
        long refusedNeverFits, long refusedNoInterface, long released, long unknownReleases) {

    /** All refusals. */
    long refused() {
        return refusedBandwidth + refusedBuffer + refusedCpu + refusedNeverFits + refusedNoInterface;
    }
}
