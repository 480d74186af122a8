package org.drops.atm.api.device;

/**
 * The nature of a virtual channel, which the protocol conveys to the driver when it opens the channel
 * (paper §2.6) so the driver can receive into the matching buffer pool and discard best-effort traffic early
 * under overload.
 */
public enum VcService {
    /** A guaranteed connection (CBR, rt-VBR, nrt-VBR): receives into the guaranteed pool. */
    GUARANTEED,
    /** A best-effort connection (UBR): receives into the best-effort pool, discarded first. */
    BEST_EFFORT
}
