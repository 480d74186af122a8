package org.drops.atm.shell.web;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The live rate page's configuration (PID {@code org.drops.atm.shell.web}). Where it is served (address and
 * port) is Felix HTTP's configuration: PID {@code org.apache.felix.http}, or the framework properties
 * {@code org.apache.felix.http.host} (127.0.0.1) and {@code org.osgi.service.http.port} (8019) in run/atm.bndrun.
 */
@ObjectClassDefinition(name = "DROPS ATM rate page",
        description = "The live rate page at /atm/ on the Http Whiteboard: per-connection rates over the last minutes "
                + "and the admission state.")
public @interface RatePageConfiguration {

    long DEFAULT_SAMPLE_INTERVAL_MS = 1000;
    long DEFAULT_HISTORY_SECONDS = 300;
    long DEFAULT_POLL_INTERVAL_MS = 1000;

    @AttributeDefinition(name = "Sample interval (ms)", description = "How often every connection's byte counter is "
            + "sampled; each plotted point is the rate between two samples (100..60000).")
    long sample_interval_ms() default DEFAULT_SAMPLE_INTERVAL_MS;

    @AttributeDefinition(name = "History (s)", description = "How far back the plot reaches (10..86400).")
    long history_seconds() default DEFAULT_HISTORY_SECONDS;

    @AttributeDefinition(name = "Page poll interval (ms)", description = "How often the page asks for new samples "
            + "(100..60000).")
    long poll_interval_ms() default DEFAULT_POLL_INTERVAL_MS;
}
