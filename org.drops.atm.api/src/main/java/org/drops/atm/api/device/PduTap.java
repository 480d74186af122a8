package org.drops.atm.api.device;

import java.nio.ByteBuffer;
import org.drops.atm.api.qos.Direction;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Sees every AAL5 PDU an interface sends or receives, as it is on the wire: the CPCS-PDU with its padding and
 * its 8-byte trailer (CPCS-UU, CPI, length, CRC-32), for capture tools such as {@code atm:dump} (Linux-ATM's
 * {@code atmdump}). Attached with {@link AtmDevice#attachTap(PduTap)}.
 *
 * <p><b>Threading and blocking</b>: called on the sending thread while it holds the transmit FIFO (transmit) and
 * on the thread that delivers received cells (receive), so it must return quickly and must not block; the buffer is only valid during the call (copy
 * what you keep). Received PDUs are reported when they complete reassembly with a valid CRC and length,
 * whether or not a connection takes them.
 */
@ConsumerType
public interface PduTap {

    /**
     * One PDU.
     *
     * @param direction  {@link Direction#TRANSMIT} for PDUs this interface sent, {@link Direction#RECEIVE} for ones it received
     * @param vpi        the VPI
     * @param vci        the VCI
     * @param pdu        the CPCS-PDU: position 0, limit its length (a multiple of 48)
     * @param nanoTime   {@link System#nanoTime()} when the PDU was segmented or completed
     */
    void pdu(Direction direction, int vpi, int vci, ByteBuffer pdu, long nanoTime);
}
