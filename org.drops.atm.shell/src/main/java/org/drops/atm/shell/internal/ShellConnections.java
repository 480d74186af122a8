package org.drops.atm.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;

/**
 * The test connections the shell holds ({@code atm:open}, {@code atm:awrite -b}, {@code atm:aread -b}): one socket
 * per PVC and direction, each with at most one traffic job. They live until {@code atm:close} or until the shell's
 * component stops. Thread-safe: Gogo runs each session's commands in its own thread.
 */
public final class ShellConnections {

    /** One direction of a PVC the shell holds. */
    public static final class Held {
        public final PvcAddress pvc;
        public final Direction direction;
        public final Qos qos;
        public final AtmSocket socket;
        volatile TrafficJob job;

        Held(PvcAddress pvc, Direction direction, Qos qos, AtmSocket socket) {
            this.pvc = pvc;
            this.direction = direction;
            this.qos = qos;
            this.socket = socket;
        }

        public Optional<TrafficJob> job() {
            return Optional.ofNullable(job);
        }

        public String key() {
            return ShellConnections.key(pvc, direction);
        }
    }

    private final Map<String, Held> held = new LinkedHashMap<>(); // guarded by this

    static String key(PvcAddress pvc, Direction direction) {
        return pvc + "/" + direction;
    }

    public synchronized Optional<Held> get(PvcAddress pvc, Direction direction) {
        return Optional.ofNullable(held.get(key(pvc, direction)));
    }

    public synchronized List<Held> all() {
        return new ArrayList<>(held.values());
    }

    /** Keys ({@code 0.0.100/TRANSMIT}) of everything held, for marking rows in {@code atm:connections}. */
    public synchronized Set<String> keys() {
        return new TreeSet<>(held.keySet());
    }

    /**
     * Opens a socket for one direction and connects or binds it, without holding it.
     *
     * @throws Failed naming the PVC, the direction and the reason (admission refused with the recommendation, no
     *                such interface, already open)
     */
    public static AtmSocket openSocket(AtmSocketFactory sockets, String command, PvcAddress pvc, Direction direction,
            Qos qos) {
        String what = command + " " + pvc + " " + Reports.dir(direction);
        AtmSocket socket;
        try {
            socket = sockets.createSocket();
        } catch (AtmException e) {
            throw new Failed(what + ": " + e.getMessage());
        }
        try {
            socket.setQos(qos);
            if (direction == Direction.TRANSMIT) {
                socket.connect(pvc);
            } else {
                socket.bind(pvc);
            }
            return socket;
        } catch (AdmissionException e) {
            socket.close();
            // atm:open opens every direction of a contract: the suggestion names the one refused
            String only = command.equals("atm:open") ? (direction == Direction.TRANSMIT ? " --tx" : " --rx") : "";
            throw new Failed(what + ": " + e.getMessage()
                    + e.recommended().map(r -> "\n  to open what fits now: " + command + only + " " + pvc + " " + r).orElse(""));
        } catch (AtmException | RuntimeException e) {
            socket.close();
            throw new Failed(what + ": " + e.getMessage());
        }
    }

    /**
     * Opens and holds the directions of {@code qos} that carry traffic (limited to {@code only} if given): all of
     * them or none.
     *
     * @throws Failed if a direction is already held or cannot be opened (those opened before are closed again)
     */
    public synchronized List<Held> open(AtmSocketFactory sockets, String command, PvcAddress pvc, Qos qos,
            List<Direction> directions) {
        for (Direction d : directions) {
            if (held.containsKey(key(pvc, d))) {
                throw new Failed(command + " " + pvc + ": the shell already holds its " + Reports.dir(d)
                        + " direction (atm:close " + pvc + " first)");
            }
        }
        List<Held> opened = new ArrayList<>();
        try {
            for (Direction d : directions) {
                AtmSocket socket = openSocket(sockets, command, pvc, d, qos);
                Held h = new Held(pvc, d, qos, socket);
                held.put(h.key(), h);
                opened.add(h);
            }
        } catch (RuntimeException e) {
            for (Held h : opened) {
                held.remove(h.key());
                h.socket.close();
            }
            throw e;
        }
        return opened;
    }

    /** Attaches a job to a held connection, refusing if another one runs there. */
    public synchronized void attach(Held h, TrafficJob job) {
        TrafficJob current = h.job;
        if (current != null && current.running()) {
            throw new Failed(job.command() + " " + h.pvc + ": " + current.command() + " is running on it (atm:close "
                    + h.pvc + " stops it)");
        }
        h.job = job;
    }

    /**
     * Stops the jobs and closes the sockets of the held directions of {@code pvc} ({@code direction} null: both).
     *
     * @return what was closed, with the jobs' final reports
     */
    public List<Held> close(PvcAddress pvc, Direction direction) {
        List<Held> closing = new ArrayList<>();
        synchronized (this) {
            for (Direction d : Direction.values()) {
                if (direction == null || direction == d) {
                    Held h = held.remove(key(pvc, d));
                    if (h != null) {
                        closing.add(h);
                    }
                }
            }
        }
        closeAll(closing);
        return closing;
    }

    /** Closes everything the shell holds (the component stops). */
    public List<Held> closeAll() {
        List<Held> closing;
        synchronized (this) {
            closing = new ArrayList<>(held.values());
            held.clear();
        }
        closeAll(closing);
        return closing;
    }

    private static void closeAll(List<Held> closing) {
        for (Held h : closing) {
            TrafficJob job = h.job;
            if (job != null) {
                job.stop();
            }
            h.socket.close();
            if (job != null) {
                job.socketClosed();
            }
        }
    }
}
