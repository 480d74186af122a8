package org.drops.atm.reliability.bundles;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.RxView;
import org.drops.atm.api.TxSlot;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The activator of the misbehaving application bundles that MisbehavingBundlesIT builds at test time (one class,
 * packed into four bundles; the manifest header {@value #KIND} says which misbehaviour). Each bundle gets the
 * socket service through its OWN bundle context, so the platform's socket facade (bundle scope) sees the bundle
 * as the owner of its connections.
 *
 * <p>It misbehaves on purpose: it never closes a socket, and its {@link #stop} does nothing, leaving its threads
 * blocked in the platform. The platform must close everything when the bundle stops and wake those threads, which
 * then end by themselves (on the closed connection or the released service). What happened is published for the
 * test in a {@code Map<String, Object>} service with the property {@code misbehaviour=<kind>} (JDK types only, so
 * the test reads it across class loaders).
 *
 * <p>Manifest headers: {@value #KIND} = opener | flooder | hoarder | claimer; {@value #TX_ITF}, {@value #RX_ITF}:
 * the interfaces it transmits on and binds on; {@value #VCI}: its first VCI.
 */
public final class Misbehaver implements BundleActivator {

    public static final String KIND = "X-Misbehaviour";
    public static final String TX_ITF = "X-Tx-Itf";
    public static final String RX_ITF = "X-Rx-Itf";
    public static final String VCI = "X-Vci";
    /** The flooder's contract: CBR at 1 Mbit/s (2604 cells/s) of 1500-byte SDUs. */
    public static final String FLOOD_QOS = "cbr:pcr=1Mbps,sdu=1500";

    private final Map<String, Object> report = new ConcurrentHashMap<>();
    private final List<String> pvcs = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong second = new AtomicLong();
    private AtmSocketFactory sockets;
    private int txItf;
    private int rxItf;
    private int vci;

    @Override
    public void start(BundleContext context) throws Exception {
        String kind = context.getBundle().getHeaders().get(KIND);
        txItf = Integer.parseInt(context.getBundle().getHeaders().get(TX_ITF));
        rxItf = Integer.parseInt(context.getBundle().getHeaders().get(RX_ITF));
        vci = Integer.parseInt(context.getBundle().getHeaders().get(VCI));
        ServiceReference<AtmSocketFactory> ref = context.getServiceReference(AtmSocketFactory.class);
        if (ref == null) {
            throw new IllegalStateException("no AtmSocketFactory service");
        }
        sockets = context.getService(ref); // this bundle's own instance (bundle scope): it is the owner
        report.put("owner", context.getBundle().getSymbolicName() + " [" + context.getBundle().getBundleId() + "]");
        report.put("count", count);
        report.put("refusals", refusals);
        report.put("second", second);
        report.put("pvcs", pvcs);
        Runnable body;
        switch (kind) {
            case "opener" -> body = this::openForever;
            case "flooder" -> body = this::flood;
            case "hoarder" -> body = this::hoard;
            case "claimer" -> body = this::claimTransmitSlots;
            default -> throw new IllegalArgumentException(KIND + ": unknown misbehaviour " + kind);
        }
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> run(body, "ended"), "misbehave-" + kind));
        if (kind.equals("claimer")) {
            threads.add(new Thread(() -> run(this::holdReceiveViews, "ended2"), "misbehave-claimer-views"));
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("misbehaviour", kind);
        context.registerService(Map.class, report, properties);
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
    }

    /** Does nothing: a misbehaving bundle leaves its sockets open and its threads blocked. */
    @Override
    public void stop(BundleContext context) {
    }

    private void run(Runnable body, String key) {
        try {
            body.run();
            report.put(key, "returned");
        } catch (Throwable t) {
            report.put(key, t.getClass().getName() + ": " + t.getMessage());
        }
    }

    private AtmSocket socket(String qos) {
        try {
            AtmSocket s = sockets.createSocket(); // throws once the platform released this bundle's service
            s.setQos(qos);
            return s;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens transmit connections in a loop and never closes one; after a refusal it retries every 20 ms. */
    private void openForever() {
        for (int n = 0; ; n++) {
            AtmSocket s = socket("ubr:sdu=1500");
            PvcAddress pvc = PvcAddress.of(txItf, 0, vci + n);
            try {
                s.connect(pvc);
                pvcs.add(pvc.toString());
                count.incrementAndGet();
            } catch (AtmException e) {
                refusals.incrementAndGet();
                report.putIfAbsent("firstRefusal", e.getMessage());
                report.put("lastRefusal", e.getMessage());
                n--; // the same VCI again
                LockSupport.parkNanos(20_000_000L);
            }
        }
    }

    /** Writes 1500-byte SDUs in a tight loop on a 1 Mbit/s CBR contract: far above it. */
    private void flood() {
        AtmSocket s = socket(FLOOD_QOS);
        PvcAddress pvc = PvcAddress.of(txItf, 0, vci);
        try {
            s.connect(pvc);
            pvcs.add(pvc.toString());
            ByteBuffer sdu = ByteBuffer.allocateDirect(1500);
            while (true) {
                sdu.clear();
                s.write(sdu);
                count.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Binds the flooder's PVC (same contract) and never reads it; then binds receive connections with large rings
     * until refused, retrying every 20 ms.
     */
    private void hoard() {
        AtmSocket s = socket(FLOOD_QOS);
        PvcAddress pvc = PvcAddress.of(rxItf, 0, vci);
        try {
            s.bind(pvc);
        } catch (AtmException e) {
            throw new IllegalStateException(e);
        }
        pvcs.add(pvc.toString());
        for (int n = 1; ; n++) {
            AtmSocket big = socket("ubr:sdu=65535");
            PvcAddress p = PvcAddress.of(rxItf, 0, vci + n);
            try {
                big.bind(p);
                pvcs.add(p.toString());
                count.incrementAndGet();
            } catch (AtmException e) {
                refusals.incrementAndGet();
                report.putIfAbsent("firstRefusal", e.getMessage());
                report.put("lastRefusal", e.getMessage());
                n--;
                LockSupport.parkNanos(20_000_000L);
            }
        }
    }

    /** Claims zero-copy transmit slots and never commits or aborts them; blocks once all are claimed. */
    private void claimTransmitSlots() {
        AtmSocket s = socket("ubr:sdu=8192");
        PvcAddress pvc = PvcAddress.of(txItf, 0, vci);
        List<TxSlot> held = new ArrayList<>();
        try {
            s.connect(pvc);
            pvcs.add(pvc.toString());
            while (true) {
                held.add(s.claim()); // blocks for ever once every slot is claimed, until the connection closes
                count.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binds a PVC and takes receive views, never releasing one; blocks once it holds every slot. */
    private void holdReceiveViews() {
        AtmSocket s = socket("ubr:sdu=8192");
        PvcAddress pvc = PvcAddress.of(rxItf, 0, vci + 1);
        List<RxView> held = new ArrayList<>();
        try {
            s.bind(pvc);
            pvcs.add(pvc.toString());
            while (true) {
                held.add(s.receive());
                second.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
