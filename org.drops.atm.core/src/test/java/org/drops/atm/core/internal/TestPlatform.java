package org.drops.atm.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.drops.atm.driver.pca200e.nic.DeviceSettings;
import org.drops.atm.driver.pca200e.nic.Pca200eDevice;

/** Two emulated interfaces back to back on a memory wire and a server over them, with test services. */
final class TestPlatform implements AutoCloseable {

    final Pca200eDevice itf0;
    final Pca200eDevice itf1;
    final Server server;
    final FakeServices services = new FakeServices();

    TestPlatform(String wire, double lineCellsPerSecond) throws Exception {
        itf0 = new Pca200eDevice(DeviceSettings.oc3(0).withLineCellsPerSecond(lineCellsPerSecond), new MemoryLink("0", wire, false, 64));
        itf1 = new Pca200eDevice(new DeviceSettings(1, null, lineCellsPerSecond, 2048, 64, 64, 65535, 100_000_000L, true),
                new MemoryLink("1", wire, false, 64));
        server = new Server(CoreSettings.defaults(), services);
        server.addDevice(itf0);
        server.addDevice(itf1);
    }

    @Override
    public void close() {
        server.shutdown("test over");
        itf0.close("test over");
        itf1.close("test over");
    }

    /** Services for tests: a bandwidth-only admission control with a fixed line rate, no policy, events kept. */
    static final class FakeServices implements Services {
        volatile AdmissionControl admission = new FakeAdmission(353_207);
        volatile PolicingPolicy policy;
        volatile RealTimeScheduler scheduler;
        final List<String> topics = new CopyOnWriteArrayList<>();

        @Override
        public AdmissionControl admission() {
            return admission;
        }

        @Override
        public PolicingPolicy policy() {
            return policy;
        }

        @Override
        public RealTimeScheduler scheduler() {
            return scheduler;
        }

        @Override
        public void post(String topic, Map<String, Object> properties) {
            topics.add(topic);
        }
    }

    /** Bandwidth per interface only, 8 slots per connection: enough to exercise the core. */
    static final class FakeAdmission implements AdmissionControl {
        private final double lineCellsPerSecond;
        private final Map<Integer, Double> reserved = new java.util.HashMap<>();
        private final List<Reservation> held = new ArrayList<>();
        private long ids;
        volatile int slots = 8;

        FakeAdmission(double lineCellsPerSecond) {
            this.lineCellsPerSecond = lineCellsPerSecond;
        }

        @Override
        public synchronized Reservation admit(AdmissionRequest request) throws AdmissionException {
            TrafficParameters tp = request.qos().direction(request.direction());
            double rate = tp.trafficClass().isGuaranteed()
                    ? (tp.trafficClass().isVariableBitRate() ? tp.scrCps() : tp.topPcrCps()) : 0;
            int itf = request.pvc().itf();
            double used = reserved.getOrDefault(itf, 0.0);
            if (used + rate > lineCellsPerSecond) {
                throw new AdmissionException(Resource.BANDWIDTH, request.qos(), null, "fake: no bandwidth");
            }
            reserved.put(itf, used + rate);
            Reservation r = new Reservation(++ids, request, rate, slots, tp.effectiveMaxSduBytes(request.qos().aal()
                    == org.drops.atm.api.qos.Aal.NO_AAL ? org.drops.atm.api.qos.Aal.AAL5 : request.qos().aal()), 0);
            held.add(r);
            return r;
        }

        @Override
        public synchronized boolean release(Reservation r) {
            if (!held.remove(r)) {
                return false;
            }
            reserved.merge(r.request().pvc().itf(), -r.bandwidthCellsPerSecond(), Double::sum);
            return true;
        }

        synchronized int held() {
            return held.size();
        }

        @Override
        public List<AdmissionState> states() {
            return List.of();
        }

        /** Every interface is known (with the reservations on it), as the real one knows the interfaces that are up. */
        @Override
        public synchronized java.util.Optional<AdmissionState> state(int itf) {
            List<Reservation> on = held.stream().filter(r -> r.request().pvc().itf() == itf).toList();
            return java.util.Optional.of(new AdmissionState(itf, List.of(), on, lineCellsPerSecond - reserved.getOrDefault(itf, 0.0)));
        }

        @Override
        public synchronized double bestEffortCellsPerSecond(int itf) {
            return lineCellsPerSecond - reserved.getOrDefault(itf, 0.0);
        }

        @Override
        public CpuModel cpuModel() {
            return null;
        }

        @Override
        public CpuModel recalibrate() {
            return null;
        }
    }
}
