package org.drops.atm.cac;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.Resource;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.device.DeviceStatistics;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;

/** Requests, a fixed fake calibration and fake devices for the unit tests. */
final class Fixtures {

    /** OC-3 in whole cells per second, Linux's ATM_OC3_PCR. */
    static final long OC3 = CellRates.OC3_PCR;

    /**
     * The fixed fake calibration of the unit tests: 100 ns per PDU and 1 ns per byte both ways, close to what
     * the development machine measured, so the CPU does not bind unless a test makes it.
     */
    static final CpuModel FAKE_CPU = cpu(100, 1, 100, 1);

    private Fixtures() {
    }

    static CpuModel cpu(double txPerPdu, double txPerByte, double rxPerPdu, double rxPerByte) {
        return new CpuModel(Instant.parse("2026-11-25T12:00:00Z"), txPerPdu, txPerByte, rxPerPdu, rxPerByte, 0.8,
                "fake calibration for unit tests");
    }

    /** Settings with the given limits and the default fallback constants. */
    static AdmissionSettings settings(long reserveCellsPerSecond, long budgetBytes, int maxSduBytes, int transmitSlots,
            int ubrReceiveSlots, double cpuLimit) {
        AdmissionSettings d = AdmissionSettings.DEFAULTS;
        return new AdmissionSettings(reserveCellsPerSecond, budgetBytes, maxSduBytes, transmitSlots, ubrReceiveSlots,
                cpuLimit, true, d.fallbackTransmitNanosPerPdu(), d.fallbackTransmitNanosPerByte(),
                d.fallbackReceiveNanosPerPdu(), d.fallbackReceiveNanosPerByte(), 0);
    }

    /** Books with interfaces 0 and 1 at OC-3. */
    static Ledger ledger(AdmissionSettings settings, CpuModel cpu) {
        Ledger ledger = new Ledger(settings, cpu);
        ledger.interfaceUp("device0", 0, CellRates.OC3_CELLS_PER_SECOND);
        ledger.interfaceUp("device1", 1, CellRates.OC3_CELLS_PER_SECOND);
        return ledger;
    }

    /** Books with the default settings but no receive slack: the jitter-constrained stream model alone. */
    static Ledger ledger() {
        return ledger(AdmissionSettings.DEFAULTS.withReceiveSlackMicros(0), FAKE_CPU);
    }

    static AdmissionRequest request(int itf, int vci, Direction direction, TrafficParameters tp) {
        Qos qos = direction == Direction.TRANSMIT ? Qos.transmit(tp) : Qos.receive(tp);
        return new AdmissionRequest(PvcAddress.of(itf, 0, vci), qos, direction);
    }

    static AdmissionRequest cbrTx(int itf, int vci, int pcr, int sdu) {
        return request(itf, vci, Direction.TRANSMIT, TrafficParameters.cbr(pcr, sdu));
    }

    static AdmissionRequest cbrTx(int itf, int vci, int pcr, int sdu, int cdvMicros) {
        return request(itf, vci, Direction.TRANSMIT,
                TrafficParameters.builder(TrafficClass.CBR).pcrCps(pcr).maxSduBytes(sdu).maxCdvMicros(cdvMicros).build());
    }

    static AdmissionRequest cbrRx(int itf, int vci, int pcr, int sdu, int cdvMicros) {
        return request(itf, vci, Direction.RECEIVE,
                TrafficParameters.builder(TrafficClass.CBR).pcrCps(pcr).maxSduBytes(sdu).maxCdvMicros(cdvMicros).build());
    }

    static AdmissionRequest vbr(int itf, int vci, Direction direction, TrafficClass c, int pcr, int scr, int mbs, int sdu,
            int cdvMicros) {
        return request(itf, vci, direction, TrafficParameters.builder(c).pcrCps(pcr).scrCps(scr).mbsCells(mbs)
                .maxSduBytes(sdu).maxCdvMicros(cdvMicros).build());
    }

    static AdmissionRequest ubr(int itf, int vci, Direction direction, int sdu) {
        return request(itf, vci, direction, TrafficParameters.builder(TrafficClass.UBR).maxSduBytes(sdu).build());
    }

    /** The reserved rate of a contract's direction: PCR for CBR, SCR for VBR. */
    static int reservedRate(Qos qos, Direction direction) {
        TrafficParameters tp = qos.direction(direction);
        return tp.trafficClass().isVariableBitRate() ? tp.scrCps() : tp.topPcrCps();
    }

    /** The same request with its reserved rate set to {@code rate}. */
    static AdmissionRequest withRate(AdmissionRequest r, int rate) {
        TrafficParameters tp = r.qos().direction(r.direction());
        TrafficParameters changed = tp.trafficClass().isVariableBitRate() ? tp.toBuilder().scrCps(rate).build()
                : tp.toBuilder().pcrCps(rate).build();
        Qos qos = r.direction() == Direction.TRANSMIT ? new Qos(changed, r.qos().rx(), r.qos().aal())
                : new Qos(r.qos().tx(), changed, r.qos().aal());
        return new AdmissionRequest(r.pvc(), qos, r.direction());
    }

    static AdmissionRequest withQos(AdmissionRequest r, Qos qos) {
        return new AdmissionRequest(r.pvc(), qos, r.direction());
    }

    static ResourceState resource(AdmissionState state, Resource resource) {
        return state.resources().stream().filter(s -> s.resource() == resource).findFirst().orElseThrow();
    }

    static ResourceState resource(Ledger ledger, int itf, Resource resource) {
        return resource(ledger.state(itf).orElseThrow(), resource);
    }

    /** An AdmissionConfiguration with the metatype defaults, overridden by {@code values} (method name → value). */
    static AdmissionConfiguration configuration(Map<String, Object> values) {
        return (AdmissionConfiguration) Proxy.newProxyInstance(AdmissionConfiguration.class.getClassLoader(),
                new Class<?>[] {AdmissionConfiguration.class}, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    Object value = method.getDefaultValue();
                    if (value == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return value;
                });
    }

    /** An interface with a number and a line rate; nothing else works. */
    static final class FakeDevice implements AtmDevice {
        private final int itf;
        private final double lineCellsPerSecond;

        FakeDevice(int itf, double lineCellsPerSecond) {
            this.itf = itf;
            this.lineCellsPerSecond = lineCellsPerSecond;
        }

        @Override
        public int interfaceNumber() {
            return itf;
        }

        @Override
        public AutoCloseable attachTap(org.drops.atm.api.device.PduTap tap) {
            throw new UnsupportedOperationException("attachTap");
        }

        @Override
        public InterfaceInfo info() {
            return new InterfaceInfo(itf, null, "fake", lineCellsPerSecond, true);
        }

        @Override
        public VirtualChannel open(VcParameters parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReceivedPdu receive(long timeoutNanos) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeviceStatistics statistics() {
            throw new UnsupportedOperationException();
        }
    }
}
