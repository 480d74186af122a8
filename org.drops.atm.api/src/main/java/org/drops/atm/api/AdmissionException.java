package org.drops.atm.api;

import java.util.Optional;
import org.drops.atm.api.qos.Qos;

/**
 * Admission control refused a contract (paper §2.4). It names the resource that did not suffice and, "to ease
 * re-negotiation", carries the recommended contract: the largest one of the same class and SDU size that
 * would have been admitted at the time of the refusal. A request that can never fit (a peak rate above the
 * line rate, an SDU above the maximum) has no recommendation and a message naming the field.
 */
public class AdmissionException extends AtmException {
    private static final long serialVersionUID = 1L;

    private final Resource resource;
    private final Qos requested;
    private final Qos recommended;

    /**
     * @param resource    the binding resource
     * @param requested   the contract that was refused
     * @param recommended the contract that would fit now, or null if none would
     * @param detail      what was asked and what was free, in words
     */
    public AdmissionException(Resource resource, Qos requested, Qos recommended, String detail) {
        super("admission refused (" + resource + "): " + detail
                + (recommended == null ? "; no contract of this class fits now" : "; recommended: " + recommended));
        this.resource = resource;
        this.requested = requested;
        this.recommended = recommended;
    }

    /** The resource that did not suffice. */
    public Resource resource() {
        return resource;
    }

    /** The refused contract. */
    public Qos requested() {
        return requested;
    }

    /** The largest contract of the same class and SDU size that would have been admitted, if any. */
    public Optional<Qos> recommended() {
        return Optional.ofNullable(recommended);
    }
}
