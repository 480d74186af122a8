package org.drops.atm.api;

/**
 * Event Admin topics the platform posts (never per PDU) and the property keys of those events.
 */
public final class AtmEvents {

    /** Topic prefix of every platform event. */
    public static final String TOPIC_PREFIX = "org/drops/atm/";
    /** A connection was admitted and opened. Properties: {@link #PVC}, {@link #DIRECTION}, {@link #QOS}. */
    public static final String CONNECTION_OPENED = TOPIC_PREFIX + "connection/OPENED";
    /** A connection closed. Properties: {@link #PVC}, {@link #DIRECTION}, {@link #REASON}. */
    public static final String CONNECTION_CLOSED = TOPIC_PREFIX + "connection/CLOSED";
    /** Admission control refused a connection. Properties: {@link #PVC}, {@link #QOS}, {@link #RESOURCE}, {@link #RECOMMENDED}. */
    public static final String CONNECTION_REFUSED = TOPIC_PREFIX + "connection/REFUSED";
    /** The selected policing policy changed. Properties: {@link #POLICY}. */
    public static final String POLICY_CHANGED = TOPIC_PREFIX + "policy/CHANGED";
    /** An interface came up. Properties: {@link #ITF}. */
    public static final String INTERFACE_UP = TOPIC_PREFIX + "interface/UP";
    /** An interface went down. Properties: {@link #ITF}, {@link #REASON}. */
    public static final String INTERFACE_DOWN = TOPIC_PREFIX + "interface/DOWN";

    /** The PVC, as text {@code itf.vpi.vci}. */
    public static final String PVC = "pvc";
    /** {@code TRANSMIT} or {@code RECEIVE}. */
    public static final String DIRECTION = "direction";
    /** The contract, as {@code text2qos} text. */
    public static final String QOS = "qos";
    /** The recommended contract of a refusal, as text, or absent. */
    public static final String RECOMMENDED = "recommended";
    /** The binding resource of a refusal. */
    public static final String RESOURCE = "resource";
    /** The interface number, an Integer. */
    public static final String ITF = "itf";
    /** A policy name. */
    public static final String POLICY = "policy";
    /** Why, in words. */
    public static final String REASON = "reason";

    private AtmEvents() {
    }
}
