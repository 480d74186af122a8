package org.drops.atm.upc;

/**
 * Paper §3.2: the control interval's length from the delay-variation tolerance the client asked for. Jitter-
 * sensitive contracts get 2 PDUs per interval, the default case 10, jitter-insensitive ones 50; thresholds and
 * counts are configuration ({@link IntervalCreditConfiguration}).
 *
 * <p>The interval is sized in credit, N PDUs of the contract's largest size, and lasts exactly as long as the
 * rate needs for them. The paper's Table 2 shows whole milliseconds (10.24 ms written as 10, 13.65 ms as 13)
 * because its clock ticked in milliseconds; an interval truncated that way holds 9.77 or 9.52 PDUs of credit,
 * of which a writer of full-size PDUs can use only 9 unless the fraction is carried over. The paper's writers
 * reached their requested rates, so its implementation must have carried the fraction; keeping whole PDUs per
 * interval reaches the rate exactly without carrying anything.
 *
 * <p>Immutable; any thread.
 */
final class IntervalLength {

    private final long sensitiveMaxCdvMicros;
    private final long insensitiveMinCdvMicros;
    private final int sensitivePdus;
    private final int defaultPdus;
    private final int insensitivePdus;

    /** @throws IllegalArgumentException naming the configuration key of a value out of range */
    IntervalLength(long sensitiveMaxCdvMicros, long insensitiveMinCdvMicros, int sensitivePdus, int defaultPdus,
            int insensitivePdus) {
        if (sensitiveMaxCdvMicros < 0) {
            throw new IllegalArgumentException("jitter.sensitive.max.cdv.us must not be negative, not " + sensitiveMaxCdvMicros);
        }
        if (insensitiveMinCdvMicros <= sensitiveMaxCdvMicros) {
            throw new IllegalArgumentException("jitter.insensitive.min.cdv.us (" + insensitiveMinCdvMicros
                    + ") must exceed jitter.sensitive.max.cdv.us (" + sensitiveMaxCdvMicros + ")");
        }
        checkPdus("jitter.sensitive.pdus", sensitivePdus);
        checkPdus("default.pdus", defaultPdus);
        checkPdus("jitter.insensitive.pdus", insensitivePdus);
        this.sensitiveMaxCdvMicros = sensitiveMaxCdvMicros;
        this.insensitiveMinCdvMicros = insensitiveMinCdvMicros;
        this.sensitivePdus = sensitivePdus;
        this.defaultPdus = defaultPdus;
        this.insensitivePdus = insensitivePdus;
    }

    /** The defaults of {@link IntervalCreditConfiguration}. */
    static IntervalLength defaults() {
        return new IntervalLength(IntervalCreditConfiguration.DEFAULT_JITTER_SENSITIVE_MAX_CDV_US,
                IntervalCreditConfiguration.DEFAULT_JITTER_INSENSITIVE_MIN_CDV_US,
                IntervalCreditConfiguration.DEFAULT_JITTER_SENSITIVE_PDUS, IntervalCreditConfiguration.DEFAULT_PDUS,
                IntervalCreditConfiguration.DEFAULT_JITTER_INSENSITIVE_PDUS);
    }

    private static void checkPdus(String key, int pdus) {
        if (pdus < 1 || pdus > 10_000) {
            throw new IllegalArgumentException(key + " must be 1..10000 PDUs, not " + pdus);
        }
    }

    /** PDUs per interval for a tolerance: 2, 10 or 50 with the defaults. */
    int pdusPerInterval(int cdvMicros) {
        if (cdvMicros <= sensitiveMaxCdvMicros) {
            return sensitivePdus;
        }
        return cdvMicros >= insensitiveMinCdvMicros ? insensitivePdus : defaultPdus;
    }

    @Override
    public String toString() {
        return "cdv <= " + sensitiveMaxCdvMicros + " us: " + sensitivePdus + " PDUs, cdv >= " + insensitiveMinCdvMicros
                + " us: " + insensitivePdus + " PDUs, else " + defaultPdus + " PDUs per interval";
    }
}
