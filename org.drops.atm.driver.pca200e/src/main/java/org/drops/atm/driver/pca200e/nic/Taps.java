package org.drops.atm.driver.pca200e.nic;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.device.PduTap;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.driver.pca200e.aal5.Aal5Crc;
import org.drops.atm.driver.pca200e.aal5.Aal5Trailer;

/**
 * The PDU taps of an interface (capture). Copy-on-write array: the data path reads one volatile reference per
 * PDU and does nothing more while no tap is attached. A tap that throws is detached, never the data path.
 */
final class Taps {

    private static final Logger LOG = Logger.getLogger(Taps.class.getName());
    private static final PduTap[] NONE = {};

    private volatile PduTap[] taps = NONE;
    private final ByteBuffer transmitScratch; // guarded by the FIFO's producer lock

    Taps(int maxSduBytes) {
        transmitScratch = ByteBuffer.allocateDirect(Aal5Trailer.pduBytes(maxSduBytes));
    }

    boolean any() {
        return taps.length != 0;
    }

    synchronized AutoCloseable attach(PduTap tap) {
        if (tap == null) {
            throw new IllegalArgumentException("attachTap: tap is null");
        }
        PduTap[] next = Arrays.copyOf(taps, taps.length + 1);
        next[next.length - 1] = tap;
        taps = next;
        return () -> detach(tap);
    }

    synchronized void detach(PduTap tap) {
        PduTap[] current = taps;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == tap) {
                PduTap[] next = new PduTap[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                taps = next;
                return;
            }
        }
    }

    /** Transmit side, under the FIFO's producer lock: rebuilds the CPCS-PDU of the SDU just segmented. */
    void transmitted(int vpi, int vci, ByteBuffer sdu) {
        PduTap[] current = taps;
        if (current.length == 0) {
            return;
        }
        int length = sdu.remaining();
        int pduBytes = Aal5Trailer.pduBytes(length);
        ByteBuffer pdu = transmitScratch;
        pdu.clear();
        pdu.put(0, sdu, sdu.position(), length);
        for (int i = length; i < pduBytes - Aal5Trailer.BYTES; i++) {
            pdu.put(i, (byte) 0);
        }
        int trailer = pduBytes - Aal5Trailer.BYTES;
        pdu.put(trailer + Aal5Trailer.UU, (byte) 0).put(trailer + Aal5Trailer.CPI, (byte) 0);
        pdu.putShort(trailer + Aal5Trailer.LENGTH, (short) length);
        int crc = Aal5Crc.finish(Aal5Crc.update(Aal5Crc.INITIAL, pdu, 0, pduBytes - 4));
        pdu.putInt(trailer + Aal5Trailer.CRC, crc);
        pdu.limit(pduBytes);
        call(current, Direction.TRANSMIT, vpi, vci, pdu, System.nanoTime());
    }

    /** Receive side, under the receive engine's lock: the reassembled PDU as it arrived. */
    void received(int vpi, int vci, ByteBuffer pduView, long nanoTime) {
        PduTap[] current = taps;
        if (current.length != 0) {
            call(current, Direction.RECEIVE, vpi, vci, pduView, nanoTime);
        }
    }

    private void call(PduTap[] current, Direction direction, int vpi, int vci, ByteBuffer pdu, long nanoTime) {
        int limit = pdu.limit();
        for (PduTap tap : current) {
            try {
                pdu.position(0).limit(limit);
                tap.pdu(direction, vpi, vci, pdu, nanoTime);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a PDU tap failed and was detached", e);
                detach(tap);
            }
        }
    }
}
