package org.drops.atm.reliability;

/**
 * Short mode (every build, CI) or long mode ({@code mvn verify -Dreliability.long=true}, failsafe passes it on as
 * the system property {@code atm.reliability.long}). Each test states both sizes with {@link #pick}.
 */
public final class Mode {

    public static final String LONG_PROPERTY = "atm.reliability.long";

    private Mode() {
    }

    /** True in the long mode. */
    public static boolean isLong() {
        return Boolean.parseBoolean(System.getProperty(LONG_PROPERTY, "false"));
    }

    /** The short value in the short mode, the long value in the long mode. */
    public static long pick(long shortValue, long longValue) {
        return isLong() ? longValue : shortValue;
    }
}
