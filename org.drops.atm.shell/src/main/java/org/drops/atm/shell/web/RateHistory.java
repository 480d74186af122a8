package org.drops.atm.shell.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.shell.internal.Reports;

/**
 * Per-connection rates over the last minutes, sampled from the connections' byte counters: each point is the SDU
 * payload rate between two samples (the first one since the connection opened). A connection that closed keeps
 * its series until its last point has left the window, so the plot shows it ending.
 */
final class RateHistory {

    /** One sample of one connection. */
    record Point(long epochMillis, double bitsPerSecond) {
    }

    /** The history of one connection (one direction of one PVC, from one open to its close). */
    static final class Series {
        final String id;
        final String pvc;
        final String direction;
        final String trafficClass;
        final String contract;
        final Deque<Point> points = new ArrayDeque<>();
        String policy;
        long pdus;
        long dropped;
        long suspensions;
        boolean open = true;
        private long lastNanos;
        private long lastBytes;

        Series(ConnectionStatistics c, String id) {
            this.id = id;
            this.pvc = String.valueOf(c.pvc());
            this.direction = c.direction() == null ? "-" : c.direction().name().equals("TRANSMIT") ? "tx" : "rx";
            TrafficParameters tp = c.qos() == null ? null : c.qos().direction(c.direction());
            this.trafficClass = tp == null ? "-" : tp.trafficClass().toString();
            this.contract = tp == null ? "-" : Reports.contract(tp);
            this.lastNanos = c.openedAtNanos();
            this.lastBytes = 0;
        }

        private Series(Series s) {
            this.id = s.id;
            this.pvc = s.pvc;
            this.direction = s.direction;
            this.trafficClass = s.trafficClass;
            this.contract = s.contract;
            this.points.addAll(s.points);
            this.policy = s.policy;
            this.pdus = s.pdus;
            this.dropped = s.dropped;
            this.suspensions = s.suspensions;
            this.open = s.open;
        }

        /** The last point's rate, or 0 before the first. */
        double currentBitsPerSecond() {
            Point p = points.peekLast();
            return p == null || !open ? 0 : p.bitsPerSecond();
        }
    }

    private final Map<String, Series> series = new LinkedHashMap<>(); // guarded by this
    private long windowMillis; // guarded by this
    private long samples; // guarded by this
    private long lastSampleMillis; // guarded by this

    RateHistory(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    synchronized void window(long millis) {
        windowMillis = millis;
    }

    /** Takes one sample of every open connection at {@code nowNanos} ({@link System#nanoTime()}), dated epochMillis. */
    synchronized void sample(long epochMillis, long nowNanos, List<ConnectionStatistics> connections) {
        samples++;
        lastSampleMillis = epochMillis;
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (ConnectionStatistics c : connections) {
            String id = c.pvc() + "/" + c.direction() + "/" + c.openedAtNanos();
            Series s = series.computeIfAbsent(id, k -> new Series(c, k));
            seen.put(id, true);
            long span = nowNanos - s.lastNanos;
            if (span > 0) {
                s.points.addLast(new Point(epochMillis, Math.max(0, c.bytes() - s.lastBytes) * 8e9 / span));
            }
            s.lastNanos = nowNanos;
            s.lastBytes = c.bytes();
            s.policy = c.policyName();
            s.pdus = c.pdus();
            s.dropped = c.dropped();
            s.suspensions = c.suspensions();
        }
        for (Series s : series.values()) {
            if (!seen.containsKey(s.id) && s.open) {
                s.open = false;
                s.points.addLast(new Point(epochMillis, 0)); // the line drops to zero where the connection closed
            }
            while (!s.points.isEmpty() && s.points.peekFirst().epochMillis() < epochMillis - windowMillis) {
                s.points.removeFirst();
            }
        }
        series.values().removeIf(s -> !s.open && s.points.isEmpty());
    }

    synchronized long samples() {
        return samples;
    }

    synchronized long lastSampleMillis() {
        return lastSampleMillis;
    }

    synchronized long windowMillis() {
        return windowMillis;
    }

    /** Copies of the series for rendering. */
    synchronized List<Series> snapshot() {
        List<Series> copy = new ArrayList<>();
        for (Series s : series.values()) {
            Series c = new Series(s);
            copy.add(c);
        }
        return copy;
    }
}
