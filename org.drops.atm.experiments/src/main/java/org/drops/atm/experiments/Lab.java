package org.drops.atm.experiments;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.server.ProtocolServer;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** What an experiment works with: the platform's services, interfaces it sets up, the results folder, progress. */
public final class Lab {

    static final String INTERFACE_FACTORY_PID = "org.drops.atm.driver.pca200e.interface";

    final AtmSocketFactory sockets;
    final ProtocolServer server;
    final ConfigurationAdmin configurationAdmin;
    final org.drops.atm.api.admission.AdmissionControl admission;
    final Path results;
    private final PrintStream progress;
    private int nextItf = 40;

    Lab(AtmSocketFactory sockets, ProtocolServer server, ConfigurationAdmin configurationAdmin,
            org.drops.atm.api.admission.AdmissionControl admission, Path results, PrintStream progress) {
        this.admission = admission;
        this.sockets = sockets;
        this.server = server;
        this.configurationAdmin = configurationAdmin;
        this.results = results;
        this.progress = progress;
    }

    /** A progress line, as the run goes. */
    public void progress(String format, Object... args) {
        progress.println("[experiment] " + String.format(Locale.ROOT, format, args));
        progress.flush();
    }

    /** Two interfaces of their own, joined back to back; deleted when closed. */
    public final class Pair implements AutoCloseable {
        public final int a;
        public final int b;
        private final List<Configuration> configurations = new ArrayList<>();

        private Pair(int a, int b) {
            this.a = a;
            this.b = b;
        }

        public PvcAddress pvcA(int vci) {
            return new PvcAddress(a, 0, vci);
        }

        public PvcAddress pvcB(int vci) {
            return new PvcAddress(b, 0, vci);
        }

        @Override
        public void close() throws Exception {
            for (Configuration c : configurations) {
                c.delete();
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (server.interfaces().stream().anyMatch(i -> i.itf() == a || i.itf() == b)
                    && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
        }
    }

    /** Two interfaces over the memory link at the given line rate ({@code oc3}, {@code unlimited}, cells/s). */
    public Pair memoryPair(String lineRate) throws Exception {
        Pair p = new Pair(nextItf++, nextItf++);
        String wire = "lab-" + p.a;
        add(p, p.a, lineRate, "memory", wire, null, null);
        add(p, p.b, lineRate, "memory", wire, null, null);
        await(p);
        return p;
    }

    /** Two interfaces joined by the UDP link on loopback, on the given ports. */
    public Pair udpPair(String lineRate, int portA, int portB) throws Exception {
        Pair p = new Pair(nextItf++, nextItf++);
        add(p, p.a, lineRate, "udp", null, "127.0.0.1:" + portA, "127.0.0.1:" + portB);
        add(p, p.b, lineRate, "udp", null, "127.0.0.1:" + portB, "127.0.0.1:" + portA);
        await(p);
        return p;
    }

    private void add(Pair p, int itf, String lineRate, String link, String wire, String local, String peer) throws Exception {
        Configuration c = configurationAdmin.getFactoryConfiguration(INTERFACE_FACTORY_PID, "lab-" + itf, "?");
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("atm.itf", itf);
        d.put("link", link);
        d.put("line.rate", lineRate);
        d.put("pool.guaranteed.buffers", 256);
        d.put("pool.best.effort.buffers", 256);
        if (wire != null) {
            d.put("memory.wire", wire);
        }
        if (local != null) {
            d.put("udp.local", local);
            d.put("udp.peer", peer);
        }
        c.update(d);
        p.configurations.add(c);
    }

    private void await(Pair p) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            long up = server.interfaces().stream().filter(i -> i.itf() == p.a || i.itf() == p.b).count();
            // admission control learns of an interface from the same service event, a moment apart
            boolean admitted = admission == null || (admission.state(p.a).isPresent() && admission.state(p.b).isPresent());
            if (up == 2 && admitted) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("interfaces " + p.a + " and " + p.b + " did not come up");
    }

    /** A socket with the QoS, connected (transmit) or bound (receive) on the PVC. */
    public AtmSocket socket(String qos, PvcAddress pvc, boolean transmit) throws Exception {
        AtmSocket s = sockets.createSocket();
        s.setQos(qos);
        if (transmit) {
            s.connect(pvc);
        } else {
            s.bind(pvc);
        }
        return s;
    }
}
