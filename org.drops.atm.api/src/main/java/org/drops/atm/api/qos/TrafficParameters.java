package org.drops.atm.api.qos;

/**
 * The traffic parameters of one direction of a connection: Linux-ATM's {@code struct atm_trafprm} with the
 * VBR patch's {@code scr} and {@code mbs}.
 *
 * <p>Units as in Linux-ATM: rates in cells per second (cps) of 53-byte cells, the burst size in cells, the
 * delay-variation tolerance in microseconds and the SDU size in bytes. {@value #UNSPECIFIED} means "not
 * given" for every field; {@link #MAX_PCR} ({@code ATM_MAX_PCR = -1}) means "the link's rate" for
 * {@code max_pcr} and {@code pcr}. Use {@link #topPcrCps()}, {@link #effectiveMaxCdvMicros()} and
 * {@link #effectiveMaxSduBytes(Aal)} for the values that apply when a field is unspecified.
 *
 * <p>Construction validates the rules of the kernel's {@code check_tp} ({@code net/atm/common.c}) and this
 * platform's rules for VBR; a violation throws {@link InvalidQosException} naming the field (unqualified:
 * {@code min_pcr}; {@link Qos} qualifies it with the direction). A direction of class {@link TrafficClass#NONE}
 * or {@link TrafficClass#ANYCLASS} carries no parameters: its numeric fields are normalised to zero, as
 * {@code text2qos} followed by the kernel would ignore them.
 *
 * @param trafficClass the service category
 * @param maxPcrCps    upper limit of the peak cell rate, or {@link #MAX_PCR}
 * @param pcrCps       desired peak cell rate, or {@link #MAX_PCR}
 * @param minPcrCps    lower limit of the peak cell rate
 * @param scrCps       sustainable cell rate (rt-VBR and nrt-VBR only)
 * @param mbsCells     maximum burst size in cells at the peak rate (rt-VBR and nrt-VBR only)
 * @param maxCdvMicros cell delay variation tolerance; unspecified means {@value #DEFAULT_MAX_CDV_MICROS} µs
 * @param maxSduBytes  largest SDU; unspecified means the AAL's maximum
 */
public record TrafficParameters(
        TrafficClass trafficClass,
        int maxPcrCps,
        int pcrCps,
        int minPcrCps,
        int scrCps,
        int mbsCells,
        int maxCdvMicros,
        int maxSduBytes) {

    /** {@code ATM_MAX_PCR}: the maximum available peak cell rate, the link's rate. */
    public static final int MAX_PCR = -1;
    /** The value of a field that was not given. */
    public static final int UNSPECIFIED = 0;
    /** {@code ATM_MAX_CDV}: the delay-variation tolerance that applies when none is given, in µs. */
    public static final int DEFAULT_MAX_CDV_MICROS = 9999;

    public TrafficParameters {
        if (trafficClass == null) {
            throw new InvalidQosException("class", "a traffic class is required");
        }
        if (!trafficClass.carriesParameters()) {
            // A direction without traffic has no parameters (text2qos leaves common-list values in a
            // direction later set to none; the kernel ignores them). Normalise so equal contracts are equal.
            maxPcrCps = pcrCps = minPcrCps = scrCps = mbsCells = maxCdvMicros = maxSduBytes = UNSPECIFIED;
        } else {
            validate(trafficClass, maxPcrCps, pcrCps, minPcrCps, scrCps, mbsCells, maxCdvMicros, maxSduBytes);
        }
    }

    /** A direction that carries no traffic. */
    public static TrafficParameters none() {
        return new TrafficParameters(TrafficClass.NONE, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Best effort with the AAL's default maximum SDU. */
    public static TrafficParameters ubr() {
        return new TrafficParameters(TrafficClass.UBR, 0, 0, 0, 0, 0, 0, 0);
    }

    /** A constant-bit-rate contract: {@code cbr:pcr=<pcrCps>,max_sdu=<maxSduBytes>}. */
    public static TrafficParameters cbr(int pcrCps, int maxSduBytes) {
        return builder(TrafficClass.CBR).pcrCps(pcrCps).maxSduBytes(maxSduBytes).build();
    }

    /** A starting point for a contract of the given class; {@link Builder#build()} validates. */
    public static Builder builder(TrafficClass trafficClass) {
        return new Builder(trafficClass);
    }

    /** A builder holding this contract's values, to derive a modified one. */
    public Builder toBuilder() {
        return new Builder(trafficClass).maxPcrCps(maxPcrCps).pcrCps(pcrCps).minPcrCps(minPcrCps).scrCps(scrCps)
                .mbsCells(mbsCells).maxCdvMicros(maxCdvMicros).maxSduBytes(maxSduBytes);
    }

    /**
     * The peak cell rate a reservation is made for, chosen as Linux-ATM's {@code SELECT_TOP_PCR} does: pcr if
     * given, else max_pcr if given and not {@link #MAX_PCR}, else min_pcr, else {@link #MAX_PCR}.
     */
    public int topPcrCps() {
        return topPcrOf(maxPcrCps, pcrCps, minPcrCps);
    }

    /** The delay-variation tolerance in µs: {@code max_cdv}, or {@value #DEFAULT_MAX_CDV_MICROS} if unspecified. */
    public int effectiveMaxCdvMicros() {
        return maxCdvMicros == UNSPECIFIED ? DEFAULT_MAX_CDV_MICROS : maxCdvMicros;
    }

    /** The largest SDU in bytes: {@code max_sdu}, or the AAL's maximum if unspecified (kernel {@code adjust_tp}). */
    public int effectiveMaxSduBytes(Aal aal) {
        return maxSduBytes == UNSPECIFIED ? aal.maxSduBytes() : maxSduBytes;
    }

    /** True if this direction carries traffic (its class is not {@link TrafficClass#NONE}). */
    public boolean carriesTraffic() {
        return trafficClass != TrafficClass.NONE;
    }

    private static void validate(TrafficClass c, int maxPcr, int pcr, int minPcr, int scr, int mbs, int maxCdv,
            int maxSdu) {
        if (c == TrafficClass.ABR) {
            throw new InvalidQosException("class",
                    "ABR is not supported: it needs the RM-cell feedback loop of ATM Forum TM 4.0; use CBR, rt-VBR, nrt-VBR or UBR");
        }
        rateAtLeast("max_pcr", maxPcr, MAX_PCR, "a rate in cells/s, or max");
        rateAtLeast("pcr", pcr, MAX_PCR, "a rate in cells/s, or max");
        if (minPcr == MAX_PCR) {
            throw new InvalidQosException("min_pcr", "min_pcr may not be max (check_tp)");
        }
        rateAtLeast("min_pcr", minPcr, 0, "a rate in cells/s");
        if (scr == MAX_PCR) {
            throw new InvalidQosException("scr", "scr may not be max");
        }
        rateAtLeast("scr", scr, 0, "a rate in cells/s");
        rateAtLeast("mbs", mbs, 0, "a number of cells");
        rateAtLeast("max_cdv", maxCdv, 0, "a time in microseconds");
        rateAtLeast("max_sdu", maxSdu, 0, "a size in bytes");
        if (maxSdu > Aal.AAL5.maxSduBytes()) {
            throw new InvalidQosException("max_sdu",
                    "max_sdu (" + maxSdu + ") exceeds the largest AAL5 SDU, " + Aal.AAL5.maxSduBytes() + " bytes");
        }
        if (c != TrafficClass.UBR && minPcr == UNSPECIFIED && pcr == UNSPECIFIED && maxPcr == UNSPECIFIED) {
            throw new InvalidQosException("pcr",
                    c + " contracts need at least one of max_pcr, pcr, min_pcr (check_tp)");
        }
        if (minPcr != UNSPECIFIED && maxPcr != UNSPECIFIED && maxPcr != MAX_PCR && minPcr > maxPcr) {
            throw new InvalidQosException("min_pcr",
                    "min_pcr (" + minPcr + ") must not exceed max_pcr (" + maxPcr + ") (check_tp)");
        }
        if (c.isVariableBitRate()) {
            if (scr == UNSPECIFIED) {
                throw new InvalidQosException("scr", c + " contracts need a sustainable cell rate scr > 0");
            }
            if (mbs == UNSPECIFIED) {
                throw new InvalidQosException("mbs", c + " contracts need a maximum burst size mbs > 0 cells");
            }
            int peak = topPcrOf(maxPcr, pcr, minPcr);
            if (peak != MAX_PCR && scr > peak) {
                throw new InvalidQosException("scr",
                        "scr (" + scr + ") must not exceed the peak cell rate (" + peak + ")");
            }
        } else {
            if (scr != UNSPECIFIED) {
                throw new InvalidQosException("scr", "only rt-VBR and nrt-VBR contracts carry scr, not " + c);
            }
            if (mbs != UNSPECIFIED) {
                throw new InvalidQosException("mbs", "only rt-VBR and nrt-VBR contracts carry mbs, not " + c);
            }
        }
    }

    private static int topPcrOf(int maxPcr, int pcr, int minPcr) {
        if (pcr != UNSPECIFIED) {
            return pcr;
        }
        if (maxPcr != UNSPECIFIED && maxPcr != MAX_PCR) {
            return maxPcr;
        }
        return minPcr != UNSPECIFIED ? minPcr : MAX_PCR;
    }

    private static void rateAtLeast(String field, int value, int least, String what) {
        if (value < least) {
            throw new InvalidQosException(field, field + " must be " + what + ", not " + value);
        }
    }

    /** Mutable holder for building a {@link TrafficParameters}; not thread-safe. */
    public static final class Builder {
        private final TrafficClass trafficClass;
        private int maxPcrCps;
        private int pcrCps;
        private int minPcrCps;
        private int scrCps;
        private int mbsCells;
        private int maxCdvMicros;
        private int maxSduBytes;

        Builder(TrafficClass trafficClass) {
            this.trafficClass = trafficClass;
        }

        /** Sets the upper limit of the peak cell rate, cells/s or {@link TrafficParameters#MAX_PCR}; returns this builder. */
        public Builder maxPcrCps(int cellsPerSecond) {
            this.maxPcrCps = cellsPerSecond;
            return this;
        }

        /** Sets the desired peak cell rate, cells/s or {@link TrafficParameters#MAX_PCR}; returns this builder. */
        public Builder pcrCps(int cellsPerSecond) {
            this.pcrCps = cellsPerSecond;
            return this;
        }

        /** Sets the lower limit of the peak cell rate, cells/s; returns this builder. */
        public Builder minPcrCps(int cellsPerSecond) {
            this.minPcrCps = cellsPerSecond;
            return this;
        }

        /** Sets the sustainable cell rate, cells/s (VBR); returns this builder. */
        public Builder scrCps(int cellsPerSecond) {
            this.scrCps = cellsPerSecond;
            return this;
        }

        /** Sets the maximum burst size, cells (VBR); returns this builder. */
        public Builder mbsCells(int cells) {
            this.mbsCells = cells;
            return this;
        }

        /** Sets the delay-variation tolerance, µs; returns this builder. */
        public Builder maxCdvMicros(int micros) {
            this.maxCdvMicros = micros;
            return this;
        }

        /** Sets the largest SDU, bytes; returns this builder. */
        public Builder maxSduBytes(int bytes) {
            this.maxSduBytes = bytes;
            return this;
        }

        /** @throws InvalidQosException naming the field if the contract breaks a rule */
        public TrafficParameters build() {
            return new TrafficParameters(trafficClass, maxPcrCps, pcrCps, minPcrCps, scrCps, mbsCells, maxCdvMicros,
                    maxSduBytes);
        }
    }
}
