package org.drops.atm.itest;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Interfaces for a test: factory configurations of the driver, deleted at the end. */
public final class Interfaces implements AutoCloseable {

    public static final String FACTORY_PID = "org.drops.atm.driver.pca200e.interface";

    private final ConfigurationAdmin configurationAdmin;
    private final List<Configuration> configurations = new ArrayList<>();

    public Interfaces(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    /** Two OC-3 interfaces joined back to back by a memory wire. */
    public static Interfaces backToBack(ConfigurationAdmin ca, int itfA, int itfB, String wire) throws Exception {
        Interfaces i = new Interfaces(ca);
        i.add(itfA, wire, "oc3");
        i.add(itfB, wire, "oc3");
        return i;
    }

    public Interfaces add(int itf, String wire, String lineRate) throws Exception {
        Configuration c = configurationAdmin.getFactoryConfiguration(FACTORY_PID, "it-" + wire + "-" + itf, "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("atm.itf", itf);
        p.put("memory.wire", wire);
        p.put("line.rate", lineRate);
        c.update(p);
        configurations.add(c);
        return this;
    }

    @Override
    public void close() throws Exception {
        for (Configuration c : configurations) {
            c.delete();
        }
    }
}
