package org.drops.atm.cac;

import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;

/**
 * One direction of an admission request as admission control reads it on a given interface: the class, the
 * SDU size and its cells, the cell rate to reserve and the delay-variation tolerance.
 *
 * <p>The reserved rate is the peak cell rate for CBR ({@link TrafficParameters#topPcrCps()}; {@code max} is
 * the whole line) and the sustainable cell rate for rt-VBR and nrt-VBR; best effort reserves none. Rates are
 * cells per second of 53-byte cells, so the AAL5 trailer and padding are already in them.
 *
 * @param request                 the request
 * @param parameters              the parameters of the requested direction
 * @param sduBytes                the largest SDU: the contract's {@code max_sdu}, or the AAL's maximum
 * @param cellsPerSdu             cells one such SDU occupies (AAL5: trailer and padding included; AAL0: one)
 * @param lineCellsPerSecond      the interface's line rate, whole cells per second
 * @param reservedCellsPerSecond  the bandwidth this contract reserves (0 for best effort)
 */
record StreamContract(AdmissionRequest request, TrafficParameters parameters, int sduBytes, int cellsPerSdu,
        long lineCellsPerSecond, long reservedCellsPerSecond) {

    /**
     * Reads the requested direction of {@code request} for an interface of {@code lineCellsPerSecond}.
     *
     * @throws AdmissionException without a recommendation, naming the field, if the request can never fit: a
     *                            rate above the line rate, an SDU above {@code maxSduBytes}, or a class that
     *                            carries no parameters
     */
    static StreamContract of(AdmissionRequest request, long lineCellsPerSecond, int maxSduBytes)
            throws AdmissionException {
        Qos qos = request.qos();
        TrafficParameters tp = qos.direction(request.direction());
        String prefix = prefix(request.direction());
        TrafficClass c = tp.trafficClass();
        if (!c.carriesParameters()) {
            throw new AdmissionException(Resource.BANDWIDTH, qos, null, prefix + "class: " + c
                    + " carries no traffic parameters; admission needs CBR, rt-VBR, nrt-VBR or UBR");
        }
        int sdu = tp.effectiveMaxSduBytes(qos.aal());
        if (sdu > maxSduBytes) {
            throw new AdmissionException(Resource.BUFFER, qos, null, prefix + "max_sdu: " + sdu
                    + " bytes exceeds the largest SDU admitted, " + maxSduBytes + " bytes (max.sdu.bytes); this request can never fit");
        }
        int cells = qos.aal() == Aal.AAL0 ? 1 : CellRates.aal5CellsPerSdu(sdu);
        long reserved = 0;
        if (c.isGuaranteed()) {
            int peak = tp.topPcrCps();
            if (peak != TrafficParameters.MAX_PCR && peak > lineCellsPerSecond) {
                throw aboveLine(qos, prefix + peakField(tp), peak, request, lineCellsPerSecond);
            }
            if (c.isVariableBitRate()) {
                if (tp.scrCps() > lineCellsPerSecond) {
                    throw aboveLine(qos, prefix + "scr", tp.scrCps(), request, lineCellsPerSecond);
                }
                reserved = tp.scrCps();
            } else {
                reserved = peak == TrafficParameters.MAX_PCR ? lineCellsPerSecond : peak;
            }
        }
        return new StreamContract(request, tp, sdu, cells, lineCellsPerSecond, reserved);
    }

    Direction direction() {
        return request.direction();
    }

    TrafficClass trafficClass() {
        return parameters.trafficClass();
    }

    /** True for the classes that reserve bandwidth and CPU: CBR, rt-VBR, nrt-VBR. */
    boolean guaranteed() {
        return parameters.trafficClass().isGuaranteed();
    }

    /** τ, the delay-variation tolerance: {@code max_cdv}, or the Linux-ATM default when unspecified. */
    long toleranceMicros() {
        return parameters.effectiveMaxCdvMicros();
    }

    /** The same contract reserving {@code cellsPerSecond} instead (PCR for CBR, SCR for VBR). */
    StreamContract withReservedCellsPerSecond(long cellsPerSecond) {
        return new StreamContract(request, parameters, sduBytes, cellsPerSdu, lineCellsPerSecond, cellsPerSecond);
    }

    /**
     * The requested QoS with this direction's reserved rate set to {@code cellsPerSecond}: for CBR the peak
     * ({@code pcr}; a {@code max_pcr} below it or a {@code min_pcr} above it is dropped, so the contract stays
     * consistent), for VBR the sustainable rate ({@code scr}, the peak unchanged and so at least as large).
     * Class, SDU size, tolerance, burst size and the other direction stay as requested.
     */
    Qos recommendation(long cellsPerSecond) {
        int rate = Math.toIntExact(cellsPerSecond);
        TrafficParameters.Builder b = parameters.toBuilder();
        if (trafficClass().isVariableBitRate()) {
            b.scrCps(rate);
        } else {
            b.pcrCps(rate);
            int maxPcr = parameters.maxPcrCps();
            if (maxPcr != TrafficParameters.UNSPECIFIED && maxPcr != TrafficParameters.MAX_PCR && maxPcr < rate) {
                b.maxPcrCps(TrafficParameters.UNSPECIFIED);
            }
            if (parameters.minPcrCps() > rate) {
                b.minPcrCps(TrafficParameters.UNSPECIFIED);
            }
        }
        TrafficParameters changed = b.build();
        Qos qos = request.qos();
        return direction() == Direction.TRANSMIT ? new Qos(changed, qos.rx(), qos.aal()) : new Qos(qos.tx(), changed, qos.aal());
    }

    /** {@code tx} or {@code rx} CBR at 41748 cells/s, SDU 8192 bytes (171 cells). */
    String describe() {
        return (direction() == Direction.TRANSMIT ? "tx " : "rx ") + trafficClass()
                + (guaranteed() ? " reserving " + reservedCellsPerSecond + " cells/s" : "")
                + ", SDU " + sduBytes + " bytes (" + cellsPerSdu + " cells)";
    }

    static String prefix(Direction direction) {
        return direction == Direction.TRANSMIT ? "tx." : "rx.";
    }

    /** The field {@link TrafficParameters#topPcrCps()} took the peak from, as Linux-ATM's SELECT_TOP_PCR. */
    private static String peakField(TrafficParameters tp) {
        if (tp.pcrCps() != TrafficParameters.UNSPECIFIED) {
            return "pcr";
        }
        if (tp.maxPcrCps() != TrafficParameters.UNSPECIFIED && tp.maxPcrCps() != TrafficParameters.MAX_PCR) {
            return "max_pcr";
        }
        return "min_pcr";
    }

    private static AdmissionException aboveLine(Qos qos, String field, int cellsPerSecond, AdmissionRequest request,
            long lineCellsPerSecond) {
        return new AdmissionException(Resource.BANDWIDTH, qos, null, field + ": " + cellsPerSecond
                + " cells/s exceeds the line rate of itf " + request.pvc().itf() + ", " + lineCellsPerSecond
                + " cells/s; this request can never fit");
    }
}
