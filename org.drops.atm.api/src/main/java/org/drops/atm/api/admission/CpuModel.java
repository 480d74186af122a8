package org.drops.atm.api.admission;

import java.time.Instant;
import org.drops.atm.api.qos.Direction;

/**
 * The CPU cost model of admission control (paper §2.4, equations 3 and 4): the time one PDU of {@code s}
 * bytes costs the host, linear in the size, per direction, <em>measured on this machine</em> by running
 * the real transmit and receive processing. A connection sending {@code r} PDUs per second of {@code s}
 * bytes uses {@code r · cost(s) / 10⁹} of a processor; the sum over all connections must stay below
 * {@link #utilisationLimit()}.
 *
 * @param calibratedAt            when the costs were measured
 * @param transmitNanosPerPdu     fixed transmit cost per PDU
 * @param transmitNanosPerByte    transmit cost per SDU byte (segmentation, CRC, HEC, copy)
 * @param receiveNanosPerPdu      fixed receive cost per PDU
 * @param receiveNanosPerByte     receive cost per SDU byte (reassembly, CRC, copies)
 * @param utilisationLimit        the share of a processor guaranteed connections may take, leaving the rest to
 *                                time-sharing work
 * @param description             how the model was obtained (sizes, repetitions, fit quality)
 */
public record CpuModel(Instant calibratedAt, double transmitNanosPerPdu, double transmitNanosPerByte,
        double receiveNanosPerPdu, double receiveNanosPerByte, double utilisationLimit, String description) {

    /** Nanoseconds one PDU of {@code sduBytes} costs in the given direction. */
    public double nanosPerPdu(Direction direction, int sduBytes) {
        return direction == Direction.TRANSMIT
                ? transmitNanosPerPdu + transmitNanosPerByte * sduBytes
                : receiveNanosPerPdu + receiveNanosPerByte * sduBytes;
    }

    /** The processor share of {@code pdusPerSecond} PDUs of {@code sduBytes} in the given direction. */
    public double utilisation(Direction direction, double pdusPerSecond, int sduBytes) {
        return pdusPerSecond * nanosPerPdu(direction, sduBytes) / 1e9;
    }
}
