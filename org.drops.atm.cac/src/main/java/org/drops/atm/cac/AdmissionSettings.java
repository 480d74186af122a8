package org.drops.atm.cac;

/**
 * Admission control's limits, independent of OSGi configuration so the books can be built in tests. A bad
 * value is refused with a message naming its configuration key.
 *
 * @param bestEffortReserveCellsPerSecond bandwidth per interface kept from guaranteed connections
 * @param bufferBudgetBytes               ring memory all reservations together may take
 * @param maxSduBytes                     the largest SDU admitted (the driver's {@code max.sdu})
 * @param transmitSlots                   slots per transmitting connection
 * @param ubrReceiveSlots                 slots per best-effort receiving connection
 * @param cpuUtilisationLimit             share of one processor guaranteed connections may take, (0, 1]
 * @param calibrateOnStart                measure the CPU model when the component starts or the probe appears
 * @param fallbackTransmitNanosPerPdu     CPU model used without calibration: transmit cost per PDU
 * @param fallbackTransmitNanosPerByte    … transmit cost per SDU byte
 * @param fallbackReceiveNanosPerPdu      … receive cost per PDU
 * @param fallbackReceiveNanosPerByte     … receive cost per SDU byte
 * @param receiveSlackMicros              how late a guaranteed receiver's reader may be: its ring holds the SDUs that
 *                                        arrive meanwhile on top of the stream model's
 */
record AdmissionSettings(long bestEffortReserveCellsPerSecond, long bufferBudgetBytes, int maxSduBytes,
        int transmitSlots, int ubrReceiveSlots, double cpuUtilisationLimit, boolean calibrateOnStart,
        double fallbackTransmitNanosPerPdu, double fallbackTransmitNanosPerByte, double fallbackReceiveNanosPerPdu,
        double fallbackReceiveNanosPerByte, long receiveSlackMicros) {

    /** No bandwidth is held back: the best-effort share is whatever guaranteed connections leave. */
    static final long DEFAULT_BEST_EFFORT_RESERVE_CELLS_PER_SECOND = 0;
    /**
     * 4 MiB, what the driver's default guaranteed pool holds (64 buffers of a 65535-byte SDU): 32 transmitting
     * connections of 64 KiB SDUs, or 128 of 8 KiB SDUs receiving at 16 Mbit/s with Linux-ATM's default CDV.
     */
    static final long DEFAULT_BUFFER_BUDGET_BYTES = 64L * 65536;
    /** The largest AAL5 SDU, as the driver's {@code max.sdu} default. */
    static final int DEFAULT_MAX_SDU_BYTES = 65535;
    /** Double buffering: one slot on the wire, one being filled. */
    static final int DEFAULT_TRANSMIT_SLOTS = 2;
    /** Best effort has no rate to size from; four SDUs of slack for a reader that falls behind. */
    static final int DEFAULT_UBR_RECEIVE_SLOTS = 4;
    /** The paper's "room for time-sharing work": a fifth of one processor is never promised away. */
    static final double DEFAULT_CPU_UTILISATION_LIMIT = 0.8;
    /** Fallback cost per PDU: well above the tens of nanoseconds the development machine measured (docs/ADMISSION.md). */
    static final double DEFAULT_FALLBACK_NANOS_PER_PDU = 2000;
    /** Fallback cost per byte: about four times the 1.2 ns the development machine measured. */
    static final double DEFAULT_FALLBACK_NANOS_PER_BYTE = 5;

    /**
     * 20 ms of reader lateness. The stream model's ⌈τ/T⌉ slots hold what arrives early, for a reader that takes
     * each SDU the moment it is due; a reader late by d needs d/T more. On the development machine a SCHED_FIFO
     * thread still stalls for 25–50 ms now and then (docs/DETERMINISM.md, steal time), and the soak lost an SDU
     * of a 20 Mbit/s connection to a full ring that way (issue 10). With the sender's half of τ
     * (the driver's tx.shaping.cdv.fraction), 20 ms more lets the readers of Figure 8's connections be 46–57 ms late.
     */
    static final long DEFAULT_RECEIVE_SLACK_MICROS = 20_000;

    static final AdmissionSettings DEFAULTS = new AdmissionSettings(DEFAULT_BEST_EFFORT_RESERVE_CELLS_PER_SECOND,
            DEFAULT_BUFFER_BUDGET_BYTES, DEFAULT_MAX_SDU_BYTES, DEFAULT_TRANSMIT_SLOTS, DEFAULT_UBR_RECEIVE_SLOTS,
            DEFAULT_CPU_UTILISATION_LIMIT, true, DEFAULT_FALLBACK_NANOS_PER_PDU, DEFAULT_FALLBACK_NANOS_PER_BYTE,
            DEFAULT_FALLBACK_NANOS_PER_PDU, DEFAULT_FALLBACK_NANOS_PER_BYTE, DEFAULT_RECEIVE_SLACK_MICROS);

    AdmissionSettings {
        atLeast("best.effort.reserve.cells.per.second", bestEffortReserveCellsPerSecond, 0);
        atLeast("buffer.budget.bytes", bufferBudgetBytes, 0);
        if (maxSduBytes < 1 || maxSduBytes > 65535) {
            throw new IllegalArgumentException("max.sdu.bytes: must be 1..65535, not " + maxSduBytes);
        }
        atLeast("transmit.slots", transmitSlots, 1);
        atLeast("ubr.receive.slots", ubrReceiveSlots, 1);
        if (!(cpuUtilisationLimit > 0 && cpuUtilisationLimit <= 1)) {
            throw new IllegalArgumentException("cpu.utilisation.limit: must be greater than 0 and at most 1 (one processor), not "
                    + cpuUtilisationLimit);
        }
        cost("fallback.transmit.nanos.per.pdu", fallbackTransmitNanosPerPdu);
        cost("fallback.transmit.nanos.per.byte", fallbackTransmitNanosPerByte);
        cost("fallback.receive.nanos.per.pdu", fallbackReceiveNanosPerPdu);
        cost("fallback.receive.nanos.per.byte", fallbackReceiveNanosPerByte);
        if (receiveSlackMicros < 0 || receiveSlackMicros > 10_000_000) {
            throw new IllegalArgumentException("receive.slack.us: must be 0..10000000 µs, not " + receiveSlackMicros);
        }
    }

    static AdmissionSettings from(AdmissionConfiguration c) {
        return new AdmissionSettings(c.best_effort_reserve_cells_per_second(), c.buffer_budget_bytes(), c.max_sdu_bytes(),
                c.transmit_slots(), c.ubr_receive_slots(), c.cpu_utilisation_limit(), c.calibrate_on_start(),
                c.fallback_transmit_nanos_per_pdu(), c.fallback_transmit_nanos_per_byte(),
                c.fallback_receive_nanos_per_pdu(), c.fallback_receive_nanos_per_byte(), c.receive_slack_us());
    }

    /** The CPU capacity in the books' unit: nanoseconds of processor time per second, U_limit · 10⁹ rounded down. */
    long cpuCapacityNanosPerSecond() {
        return (long) Math.floor(cpuUtilisationLimit * 1e9);
    }

    AdmissionSettings withBestEffortReserveCellsPerSecond(long cellsPerSecond) {
        return new AdmissionSettings(cellsPerSecond, bufferBudgetBytes, maxSduBytes, transmitSlots, ubrReceiveSlots,
                cpuUtilisationLimit, calibrateOnStart, fallbackTransmitNanosPerPdu, fallbackTransmitNanosPerByte,
                fallbackReceiveNanosPerPdu, fallbackReceiveNanosPerByte, receiveSlackMicros);
    }

    AdmissionSettings withBufferBudgetBytes(long bytes) {
        return new AdmissionSettings(bestEffortReserveCellsPerSecond, bytes, maxSduBytes, transmitSlots, ubrReceiveSlots,
                cpuUtilisationLimit, calibrateOnStart, fallbackTransmitNanosPerPdu, fallbackTransmitNanosPerByte,
                fallbackReceiveNanosPerPdu, fallbackReceiveNanosPerByte, receiveSlackMicros);
    }

    AdmissionSettings withCpuUtilisationLimit(double limit) {
        return new AdmissionSettings(bestEffortReserveCellsPerSecond, bufferBudgetBytes, maxSduBytes, transmitSlots,
                ubrReceiveSlots, limit, calibrateOnStart, fallbackTransmitNanosPerPdu, fallbackTransmitNanosPerByte,
                fallbackReceiveNanosPerPdu, fallbackReceiveNanosPerByte, receiveSlackMicros);
    }

    AdmissionSettings withReceiveSlackMicros(long micros) {
        return new AdmissionSettings(bestEffortReserveCellsPerSecond, bufferBudgetBytes, maxSduBytes, transmitSlots,
                ubrReceiveSlots, cpuUtilisationLimit, calibrateOnStart, fallbackTransmitNanosPerPdu, fallbackTransmitNanosPerByte,
                fallbackReceiveNanosPerPdu, fallbackReceiveNanosPerByte, micros);
    }

    private static void atLeast(String key, long value, long least) {
        if (value < least) {
            throw new IllegalArgumentException(key + ": must be at least " + least + ", not " + value);
        }
    }

    private static void cost(String key, double nanos) {
        if (!(nanos >= 0) || Double.isInfinite(nanos)) {
            throw new IllegalArgumentException(key + ": must be a finite number of nanoseconds, at least 0, not " + nanos);
        }
    }
}
