package org.drops.atm.shell.capture;

import java.util.ArrayList;
import java.util.List;

/** The shell's captures, running and recently ended (the last {@value #KEPT_ENDED} of those). */
public final class Captures {

    static final int KEPT_ENDED = 20;

    private final List<Capture> captures = new ArrayList<>(); // guarded by this
    private int nextId = 1; // guarded by this

    public synchronized int nextId() {
        return nextId++;
    }

    public synchronized void add(Capture c) {
        captures.add(c);
        long ended = captures.stream().filter(x -> !x.running()).count();
        for (int i = 0; i < captures.size() && ended > KEPT_ENDED; i++) {
            if (!captures.get(i).running()) {
                captures.remove(i--);
                ended--;
            }
        }
    }

    public synchronized List<Capture> all() {
        return new ArrayList<>(captures);
    }

    /** Stops every running capture and returns them. */
    public List<Capture> stopAll() {
        List<Capture> stopped = new ArrayList<>();
        for (Capture c : all()) {
            if (c.running()) {
                c.stop();
                stopped.add(c);
            }
        }
        return stopped;
    }
}
