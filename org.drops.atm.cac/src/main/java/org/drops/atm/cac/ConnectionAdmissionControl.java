package org.drops.atm.cac;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.device.PduCostProbe;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Connection admission control (paper §2.3, §2.4, §3.1), the {@link AdmissionControl} service. It follows the
 * {@link AtmDevice} services for the interfaces and their line rates, keeps the books in a {@link Ledger}, and
 * measures its CPU model with the driver's {@link PduCostProbe} when it starts.
 *
 * <p>Nothing may restart this component while connections hold reservations, since a new instance would start
 * with empty books: every reference is dynamic and configuration changes arrive through {@link #modified}.
 */
@Component(configurationPid = ConnectionAdmissionControl.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = AdmissionControl.class, immediate = true)
@Designate(ocd = AdmissionConfiguration.class)
public final class ConnectionAdmissionControl implements AdmissionControl {

    /** The configuration PID. */
    public static final String PID = "org.drops.atm.cac";

    private static final Logger LOG = Logger.getLogger(ConnectionAdmissionControl.class.getName());
    private static final String NO_PROBE = "no PduCostProbe service (the driver bundle registers it)";

    private final Clock clock;
    // devices bind before activate: the books exist from construction, with default limits until activate
    private final Ledger ledger;
    // dynamic optional reference: read by recalibrate() on any thread
    private final AtomicReference<PduCostProbe> probe = new AtomicReference<>();
    private final Object calibrationLock = new Object();
    private CompletableFuture<CpuModel> calibration; // guarded by calibrationLock: the run in progress, if any
    private volatile boolean active; // a probe bound before activate waits for activate's calibration

    public ConnectionAdmissionControl() {
        this(Clock.systemUTC());
    }

    ConnectionAdmissionControl(Clock clock) {
        this.clock = clock;
        this.ledger = new Ledger(AdmissionSettings.DEFAULTS,
                CpuCalibration.fallback(AdmissionSettings.DEFAULTS, clock.instant(), "not yet calibrated"));
    }

    @Activate
    void activate(AdmissionConfiguration configuration) {
        apply(AdmissionSettings.from(configuration));
        active = true;
    }

    /** New limits for later admissions; existing reservations are never revoked. */
    @Modified
    void modified(AdmissionConfiguration configuration) {
        apply(AdmissionSettings.from(configuration));
    }

    @Deactivate
    void deactivate() {
        active = false;
    }

    void apply(AdmissionSettings settings) {
        ledger.configure(settings);
        if (CpuCalibration.isFallback(ledger.cpuModel())) {
            // not measured yet: the configured constants, then a measurement if there is a probe and it is wanted
            PduCostProbe costProbe = probe.get();
            ledger.useCpuModel(CpuCalibration.fallback(settings, clock.instant(), costProbe == null ? NO_PROBE
                    : settings.calibrateOnStart() ? "calibration running"
                    : "calibrate.on.start is false and recalibrate() was not called"));
            if (costProbe != null && settings.calibrateOnStart()) {
                recalibrate();
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(AtmDevice device) {
        ledger.interfaceUp(device, device.interfaceNumber(), device.info().lineCellsPerSecond());
    }

    void unbindDevice(AtmDevice device) {
        ledger.interfaceDown(device);
    }

    /**
     * The probe usually appears after this component (bundles start in any order): the first one to appear is
     * used to calibrate at once, in the registering thread (well under a second), if calibration on start is on.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProbe(PduCostProbe costProbe) {
        probe.set(costProbe);
        if (active && ledger.settings().calibrateOnStart() && CpuCalibration.isFallback(ledger.cpuModel())) {
            recalibrate();
        }
    }

    void unbindProbe(PduCostProbe costProbe) {
        // a measured model stays valid for this machine when the probe goes away
        probe.compareAndSet(costProbe, null);
    }

    @Override
    public Reservation admit(AdmissionRequest request) throws AdmissionException {
        return ledger.admit(request);
    }

    @Override
    public boolean release(Reservation reservation) {
        return ledger.release(reservation);
    }

    @Override
    public List<AdmissionState> states() {
        return ledger.states();
    }

    @Override
    public Optional<AdmissionState> state(int itf) {
        return ledger.state(itf);
    }

    @Override
    public double bestEffortCellsPerSecond(int itf) {
        return ledger.bestEffortCellsPerSecond(itf);
    }

    @Override
    public CpuModel cpuModel() {
        return ledger.cpuModel();
    }

    /** Counters of admissions, refusals by resource and releases (for the shell; not yet in the SPI). */
    public AdmissionCounters counters() {
        return ledger.counters();
    }

    /**
     * Measures the CPU model with the probe, or, without one, installs the configured fallback constants and
     * says so in the model's description. A failed measurement keeps a measured model, or says in the fallback
     * model's description why it failed (logged either way). Concurrent callers share one run.
     */
    @Override
    public CpuModel recalibrate() {
        CompletableFuture<CpuModel> run;
        boolean mine;
        synchronized (calibrationLock) {
            mine = calibration == null;
            if (mine) {
                calibration = new CompletableFuture<>();
            }
            run = calibration;
        }
        if (mine) {
            try {
                run.complete(calibrate());
            } catch (RuntimeException | Error e) {
                run.completeExceptionally(e);
            } finally {
                synchronized (calibrationLock) {
                    calibration = null;
                }
            }
        }
        return run.join();
    }

    private CpuModel calibrate() {
        PduCostProbe costProbe = probe.get();
        AdmissionSettings settings = ledger.settings();
        if (costProbe == null) {
            LOG.warning("no PduCostProbe service: admission control uses the configured fallback CPU costs");
            return ledger.useCpuModel(CpuCalibration.fallback(settings, clock.instant(), NO_PROBE));
        }
        try {
            CpuModel model = ledger.useCpuModel(CpuCalibration.measure(costProbe, settings.cpuUtilisationLimit(), clock));
            LOG.info("CPU model calibrated: " + model.description());
            return model;
        } catch (RuntimeException e) {
            // a measured model stays (it is still this machine's); constants say why they are still in use
            if (CpuCalibration.isFallback(ledger.cpuModel())) {
                ledger.useCpuModel(CpuCalibration.fallback(settings, clock.instant(), "calibration failed: " + e.getMessage()));
            }
            LOG.log(Level.WARNING, "CPU calibration failed; in use: " + ledger.cpuModel().description(), e);
            return ledger.cpuModel();
        }
    }
}
