package org.drops.atm.api.qos;

import java.util.Objects;

/**
 * A connection's traffic contract: Linux-ATM's {@code struct atm_qos}, the traffic parameters of both
 * directions and the AAL.
 *
 * <p>Every {@code Qos} is valid: construction applies the kernel's {@code check_qos} and {@code adjust_tp}
 * rules ({@code net/atm/common.c}) and throws {@link InvalidQosException} naming the field
 * ({@code tx.min_pcr}, {@code rx.max_sdu}, …) and the rule. {@link #parse(String)} reads Linux-ATM's
 * {@code text2qos} syntax; {@link #toString()} writes text that {@code parse} turns back into an equal object.
 *
 * @param tx  the transmit direction
 * @param rx  the receive direction
 * @param aal the adaptation layer, {@link Aal#NO_AAL} if the socket's own applies
 */
public record Qos(TrafficParameters tx, TrafficParameters rx, Aal aal) {

    public Qos {
        if (tx == null) {
            throw new InvalidQosException("tx", "the transmit parameters are required (use TrafficParameters.none())");
        }
        if (rx == null) {
            throw new InvalidQosException("rx", "the receive parameters are required (use TrafficParameters.none())");
        }
        if (aal == null) {
            throw new InvalidQosException("aal", "an AAL is required (use Aal.NO_AAL for the socket's own)");
        }
        TrafficClass t = tx.trafficClass();
        TrafficClass r = rx.trafficClass();
        if (t == TrafficClass.NONE && r == TrafficClass.NONE) {
            throw new InvalidQosException("class", "at least one direction must carry traffic; tx and rx are both none (check_qos)");
        }
        if (t != r && t != TrafficClass.NONE && r != TrafficClass.NONE
                && t != TrafficClass.ANYCLASS && r != TrafficClass.ANYCLASS) {
            throw new InvalidQosException("rx.class",
                    "tx and rx must have the same class unless one is none or anyclass; tx is " + t + ", rx is " + r + " (check_qos)");
        }
        checkSdu("tx", tx, aal);
        checkSdu("rx", rx, aal);
    }

    /** Transmit only: {@code tx} as given, rx none, AAL5. */
    public static Qos transmit(TrafficParameters tx) {
        return new Qos(tx, TrafficParameters.none(), Aal.AAL5);
    }

    /** Receive only: tx none, {@code rx} as given, AAL5. */
    public static Qos receive(TrafficParameters rx) {
        return new Qos(TrafficParameters.none(), rx, Aal.AAL5);
    }

    /** The same parameters in both directions, AAL5. */
    public static Qos symmetric(TrafficParameters both) {
        return new Qos(both, both, Aal.AAL5);
    }

    /**
     * Parses Linux-ATM's textual QoS ({@code text2qos}, qos(7)) with the VBR patch:
     * {@code class_and_aal[:common_list][,tx:list|tx:none][,rx:list|rx:none]}.
     *
     * <ul>
     * <li>Classes {@code ubr}, {@code cbr}, {@code rt-vbr}, {@code nrt-vbr} (alias {@code vbr}), {@code abr}
     * (refused as unsupported) and, as an extension, {@code anyclass}; AALs {@code aal0}, {@code aal5}; in any
     * order, separated by commas; the class is required.</li>
     * <li>Keys {@code max_pcr=}, {@code pcr=}, {@code min_pcr=}, {@code scr=} (rates), {@code mbs=} (cells),
     * {@code max_cdv=} or {@code cdv=} (µs, an extension), {@code max_sdu=} or {@code sdu=} (bytes). A key in
     * the common list applies to both directions; {@code tx:}/{@code rx:} lists apply to one, and
     * {@code tx:none}/{@code rx:none} switch a direction off ({@code tx:any}/{@code rx:any}, an extension,
     * make it {@code anyclass}).</li>
     * <li>Keywords match case-insensitively, longest match first.</li>
     * <li>A rate is {@code max} or a decimal number with an optional fraction, an optional multiplier
     * {@code k}, {@code M}, {@code G} (powers of 1000, either case) that needs a unit, and an optional unit
     * {@code cps} (cells/s, the default) or {@code bps}, converted at 384 bits (one cell's 48 payload bytes)
     * per cell, rounding down for {@code max_pcr} and {@code pcr} and up for {@code min_pcr} and {@code scr}:
     * {@code pcr=10Mbps} is 26041 cells/s.</li>
     * </ul>
     * Where libatm is lax this parser is strict, and says so: a number must have digits, a class, AAL or key
     * may not be given twice in one place, and {@code min_pcr=max}/{@code scr=max} are errors. It accepts
     * bit rates above 2³² bit/s (libatm overflows there) as long as the cell rate fits in an {@code int}.
     *
     * @throws InvalidQosException naming the field, the rule and the offset of the problem
     */
    public static Qos parse(String text) {
        return QosText.parse(text);
    }

    /** The parameters of the given direction. */
    public TrafficParameters direction(Direction direction) {
        return Objects.requireNonNull(direction, "direction") == Direction.TRANSMIT ? tx : rx;
    }

    /** The AAL that applies on a socket of the given AAL: this contract's own, unless it is {@link Aal#NO_AAL}. */
    public Aal effectiveAal(Aal socketAal) {
        return aal == Aal.NO_AAL ? socketAal : aal;
    }

    /** Text in {@code text2qos} syntax that {@link #parse(String)} reads back into an equal object. */
    @Override
    public String toString() {
        return QosText.format(this);
    }

    private static void checkSdu(String direction, TrafficParameters tp, Aal aal) {
        if (tp.carriesTraffic() && tp.maxSduBytes() > aal.maxSduBytes()) {
            throw new InvalidQosException(direction + ".max_sdu", "max_sdu (" + tp.maxSduBytes()
                    + ") exceeds the largest " + (aal == Aal.NO_AAL ? Aal.AAL5 : aal).name() + " SDU, "
                    + aal.maxSduBytes() + " bytes (adjust_tp)");
        }
    }
}
