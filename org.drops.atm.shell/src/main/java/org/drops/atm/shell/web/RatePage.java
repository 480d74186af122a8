package org.drops.atm.shell.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.shell.internal.EventLog;
import org.drops.atm.shell.internal.Platform;
import org.drops.atm.shell.internal.WebStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The live rate page (the paper's Figure 8, live): a servlet on the Http Whiteboard serving {@code /atm/} (an HTML
 * page, a script and a style sheet from this bundle; no CDN) and {@code /atm/api/state}, a JSON document with every
 * connection's rate history and the admission state, which the page polls. A sampler thread reads the connections'
 * byte counters every {@code sample.interval.ms}.
 *
 * <p>The component needs an Http Whiteboard: it references {@link HttpServiceRuntime}, so without Felix HTTP it
 * stays unsatisfied and its servlet classes are never loaded. Felix HTTP binds where its configuration says
 * (127.0.0.1 in this platform's launcher).
 */
@Component(service = {Servlet.class, WebStatus.class}, configurationPid = "org.drops.atm.shell.web", property = {
        "osgi.http.whiteboard.servlet.pattern=/atm/*",
        "osgi.http.whiteboard.servlet.pattern=/",
        "osgi.http.whiteboard.servlet.name=DROPS ATM rate page"})
@Designate(ocd = RatePageConfiguration.class)
public final class RatePage extends HttpServlet implements WebStatus {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(RatePage.class.getName());
    static final String PREFIX = "/atm";
    static final String STATIC = "/org/drops/atm/shell/web/static/";
    static final int EVENTS_SHOWN = 12;

    @Reference
    transient Platform platform;

    private transient volatile Map<String, Object> runtimeProperties = Map.of();
    private transient volatile RatePageConfiguration config;
    private transient RateHistory history;
    private transient ScheduledExecutorService sampler;
    private transient ScheduledFuture<?> sampling; // guarded by this

    @Reference(updated = "updatedRuntime")
    void setRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        runtimeProperties = properties;
    }

    void updatedRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        runtimeProperties = properties;
    }

    @Activate
    void activate(RatePageConfiguration c) {
        config = checked(c);
        history = new RateHistory(config.history_seconds() * 1000);
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atm-rate-sampler");
            t.setDaemon(true);
            return t;
        });
        schedule();
    }

    @Modified
    void modified(RatePageConfiguration c) {
        config = checked(c);
        history.window(config.history_seconds() * 1000);
        schedule();
    }

    @Deactivate
    void deactivate() {
        sampler.shutdownNow();
    }

    private static RatePageConfiguration checked(RatePageConfiguration c) {
        range("sample.interval.ms", c.sample_interval_ms(), 100, 60_000);
        range("history.seconds", c.history_seconds(), 10, 86_400);
        range("poll.interval.ms", c.poll_interval_ms(), 100, 60_000);
        return c;
    }

    private static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + ": " + value + " is outside " + min + ".." + max);
        }
    }

    private synchronized void schedule() {
        if (sampling != null) {
            sampling.cancel(false);
        }
        long period = config.sample_interval_ms();
        sampling = sampler.scheduleAtFixedRate(this::sample, 0, period, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            List<ConnectionStatistics> connections = platform.server().map(ProtocolServer::connections).orElse(List.of());
            history.sample(System.currentTimeMillis(), System.nanoTime(), connections);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sampling the connections' rates failed", e); // the next sample tries again
        }
    }

    // ------------------------------------------------------------------ WebStatus

    @Override
    public String url() {
        List<String> urls = new ArrayList<>();
        Object endpoints = runtimeProperties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT);
        if (endpoints instanceof String s) {
            urls.add(s);
        } else if (endpoints instanceof String[] a) {
            urls.addAll(List.of(a));
        } else if (endpoints instanceof Collection<?> c) {
            c.forEach(e -> urls.add(String.valueOf(e)));
        }
        if (urls.isEmpty()) {
            return "the Http Whiteboard names no endpoint; the page is at /atm/ on its port";
        }
        List<String> pages = new ArrayList<>();
        for (String u : urls) {
            pages.add((u.endsWith("/") ? u.substring(0, u.length() - 1) : u) + PREFIX + "/");
        }
        return String.join("\n", pages);
    }

    @Override
    public String describe() {
        RatePageConfiguration c = config;
        return String.format(Locale.ROOT, "sampling every %d ms, keeping %d s, the page polls every %d ms; %d samples "
                + "taken, %d connections plotted%n", c.sample_interval_ms(), c.history_seconds(), c.poll_interval_ms(),
                history.samples(), history.snapshot().size());
    }

    // ------------------------------------------------------------------ HTTP

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        if (uri.equals("/")) {
            response.sendRedirect(PREFIX + "/");
            return;
        }
        switch (uri) {
            case PREFIX, PREFIX + "/", PREFIX + "/index.html" -> resource(response, "index.html", "text/html");
            case PREFIX + "/rates.js" -> resource(response, "rates.js", "text/javascript");
            case PREFIX + "/rates.css" -> resource(response, "rates.css", "text/css");
            case PREFIX + "/api/state" -> state(response);
            default -> response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page: " + uri);
        }
    }

    private void resource(HttpServletResponse response, String name, String type) throws IOException {
        try (InputStream in = RatePage.class.getResourceAsStream(STATIC + name)) {
            if (in == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND, name + " is missing from the bundle");
                return;
            }
            byte[] body = in.readAllBytes();
            response.setContentType(type + ";charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    private void state(HttpServletResponse response) throws IOException {
        byte[] body = stateJson().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The document the page polls: settings, rate series, interfaces, admission state, recent events. */
    String stateJson() {
        RatePageConfiguration c = config;
        Json j = new Json().beginObject();
        j.member("now", System.currentTimeMillis());
        j.member("samples", history.samples());
        j.member("lastSample", history.lastSampleMillis());
        j.member("sampleIntervalMs", c.sample_interval_ms());
        j.member("historySeconds", c.history_seconds());
        j.member("pollIntervalMs", c.poll_interval_ms());
        j.member("server", platform.server().isPresent());
        j.name("connections").beginArray();
        for (RateHistory.Series s : history.snapshot()) {
            j.beginObject().member("id", s.id).member("pvc", s.pvc).member("direction", s.direction)
                    .member("class", s.trafficClass).member("contract", s.contract).member("policy", s.policy)
                    .member("open", s.open).member("pdus", s.pdus).member("dropped", s.dropped)
                    .member("suspensions", s.suspensions).member("bitsPerSecond", s.currentBitsPerSecond());
            j.name("points").beginArray();
            for (RateHistory.Point p : s.points) {
                j.beginArray().value(p.epochMillis()).value(p.bitsPerSecond()).endArray();
            }
            j.endArray().endObject();
        }
        j.endArray();
        List<AtmDevice> devices = platform.devices();
        j.name("interfaces").beginArray();
        for (AtmDevice d : devices) {
            InterfaceInfo i = d.info();
            j.beginObject().member("itf", i.itf()).member("name", i.name()).member("link", i.link())
                    .member("up", i.up()).member("lineCellsPerSecond", i.lineCellsPerSecond())
                    .member("lineBitsPerSecond", CellRates.lineBitsPerSecond(i.lineCellsPerSecond())).endObject();
        }
        j.endArray();
        admission(j, platform.admission(), devices);
        j.name("events").beginArray();
        for (EventLog.Entry e : platform.events().last(EVENTS_SHOWN)) {
            StringBuilder p = new StringBuilder();
            e.properties().forEach((k, v) -> p.append(p.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            j.beginObject().member("time", e.time().toEpochMilli()).member("topic", e.shortTopic())
                    .member("properties", p.toString()).endObject();
        }
        j.endArray();
        return j.endObject().toString();
    }

    private static void admission(Json j, Optional<AdmissionControl> cac, List<AtmDevice> devices) {
        j.name("admission").beginObject();
        j.member("present", cac.isPresent());
        j.name("interfaces").beginArray();
        if (cac.isPresent()) {
            List<AdmissionState> states = new ArrayList<>(cac.get().states());
            states.sort((a, b) -> Integer.compare(a.itf(), b.itf()));
            for (AdmissionState s : states) {
                j.beginObject().member("itf", s.itf()).member("bestEffortCellsPerSecond", s.bestEffortCellsPerSecond())
                        .member("reservations", s.reservations().size());
                j.name("resources").beginArray();
                for (ResourceState r : s.resources()) {
                    j.beginObject().member("resource", r.resource().name()).member("capacity", r.capacity())
                            .member("reserved", r.reserved()).member("unit", r.unit()).endObject();
                }
                j.endArray().endObject();
            }
        } else {
            // without admission control, best effort shares the whole line (docs/CORE.md)
            for (AtmDevice d : devices) {
                double line = d.info().lineCellsPerSecond();
                j.beginObject().member("itf", d.interfaceNumber()).member("bestEffortCellsPerSecond", line)
                        .member("reservations", 0).name("resources").beginArray().endArray().endObject();
            }
        }
        j.endArray();
        if (cac.isPresent()) {
            CpuModel m = cac.get().cpuModel();
            if (m != null) {
                j.name("cpuModel").beginObject().member("calibratedAt", String.valueOf(m.calibratedAt()))
                        .member("transmitNanosPerPdu", m.transmitNanosPerPdu())
                        .member("transmitNanosPerByte", m.transmitNanosPerByte())
                        .member("receiveNanosPerPdu", m.receiveNanosPerPdu())
                        .member("receiveNanosPerByte", m.receiveNanosPerByte())
                        .member("utilisationLimit", m.utilisationLimit()).endObject();
            }
        }
        j.endObject();
    }
}
