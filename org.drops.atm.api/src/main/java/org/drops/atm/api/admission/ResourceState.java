package org.drops.atm.api.admission;

import org.drops.atm.api.Resource;

/**
 * One resource's account.
 *
 * @param resource the resource
 * @param capacity what may be reserved in all (after any reserve kept for best effort)
 * @param reserved what is reserved now
 * @param unit     the unit of both: {@code cells/s}, {@code bytes} or {@code utilisation}
 */
public record ResourceState(Resource resource, double capacity, double reserved, String unit) {

    /** What is left to reserve. */
    public double free() {
        return capacity - reserved;
    }
}
