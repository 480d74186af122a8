package org.drops.atm.api.qos;

import java.util.Locale;

/**
 * ATM service categories, numbered as Linux-ATM numbers them ({@code ATM_NONE} … {@code ATM_ANYCLASS} in
 * {@code include/uapi/linux/atm.h}; {@code ATM_VBR_RT = 6} from the out-of-tree VBR patch).
 *
 * <p>{@link #CBR}, {@link #RT_VBR} and {@link #NRT_VBR} are <em>guaranteed</em>: admission control reserves
 * resources for them and usage parameter control polices them (paper §2.3). {@link #UBR} shares what the
 * guaranteed connections leave. {@link #ABR} is part of the vocabulary but is refused as unsupported: it
 * needs the RM-cell feedback loop of TM 4.0, which this platform does not implement.
 */
public enum TrafficClass {
    /** No traffic in this direction ({@code ATM_NONE}). */
    NONE(0, "none"),
    /** Unspecified bit rate: best effort ({@code ATM_UBR}). */
    UBR(1, "ubr"),
    /** Constant bit rate ({@code ATM_CBR}). */
    CBR(2, "cbr"),
    /** Non-real-time variable bit rate ({@code ATM_VBR}, {@code ATM_VBR_NRT}). */
    NRT_VBR(3, "nrt-vbr"),
    /** Available bit rate ({@code ATM_ABR}); not supported. */
    ABR(4, "abr"),
    /** "Compatible with everything" ({@code ATM_ANYCLASS}); only meaningful as the class of one direction. */
    ANYCLASS(5, "anyclass"),
    /** Real-time variable bit rate ({@code ATM_VBR_RT}, VBR patch). */
    RT_VBR(6, "rt-vbr");

    private final int linuxCode;
    private final String keyword;

    TrafficClass(int linuxCode, String keyword) {
        this.linuxCode = linuxCode;
        this.keyword = keyword;
    }

    /** The value of {@code struct atm_trafprm.traffic_class}. */
    public int linuxCode() {
        return linuxCode;
    }

    /** The keyword of this class in the {@code text2qos} grammar (for example {@code rt-vbr}). */
    public String keyword() {
        return keyword;
    }

    /** True for the classes admission control reserves resources for: CBR, rt-VBR and nrt-VBR. */
    public boolean isGuaranteed() {
        return this == CBR || this == RT_VBR || this == NRT_VBR;
    }

    /** True for rt-VBR and nrt-VBR, the classes that carry a sustainable cell rate and a burst size. */
    public boolean isVariableBitRate() {
        return this == RT_VBR || this == NRT_VBR;
    }

    /** True for the classes that carry traffic parameters: everything but NONE and ANYCLASS. */
    public boolean carriesParameters() {
        return this != NONE && this != ANYCLASS;
    }

    /**
     * The class with the given Linux-ATM code.
     *
     * @throws IllegalArgumentException naming the code if no class has it
     */
    public static TrafficClass fromLinuxCode(int code) {
        for (TrafficClass c : values()) {
            if (c.linuxCode == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("traffic_class: no ATM traffic class has code " + code);
    }

    @Override
    public String toString() {
        return keyword.toUpperCase(Locale.ROOT);
    }
}
