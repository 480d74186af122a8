package org.drops.atm.core.internal;

import java.util.Map;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.scheduling.RealTimeScheduler;

/** The services the server uses, which come and go (the OSGi component tracks them; tests pass fakes). */
public interface Services {

    /** Admission control now, or null if none is present. */
    AdmissionControl admission();

    /** The selected policing policy now, or null if none is present. */
    PolicingPolicy policy();

    /** The real-time scheduling service now, or null if none is present. */
    RealTimeScheduler scheduler();

    /** Posts an event (Event Admin), or does nothing if there is none. */
    void post(String topic, Map<String, Object> properties);
}
