package org.drops.atm.shell.internal;

import java.io.InterruptedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.PvcAddress;

/**
 * Test traffic on one of the shell's sockets, in the caller's thread ({@code atm:awrite}, {@code atm:aread}) or in
 * a thread of its own ({@code -b}). Ends by itself when its count or time is reached; {@link #stop()} ends it early
 * by interrupting it, which wakes a blocked claim or read at once.
 */
public abstract class TrafficJob implements Runnable {

    private static final Logger LOG = Logger.getLogger(TrafficJob.class.getName());
    /** How long {@link #stop()} waits for the job's thread to end. */
    static final long STOP_WAIT_MILLIS = 5_000;

    /** Where a job is. */
    public enum State { RUNNING, DONE, STOPPED, FAILED }

    protected final String command;
    protected final PvcAddress pvc;
    protected final AtmSocket socket;
    private volatile State state = State.RUNNING;
    private volatile String ending = "";
    private final Object lock = new Object();
    private Thread thread; // guarded by lock: the thread running the traffic, or null
    // set by stop() before it interrupts: the interrupt is ours, and is not left on a Gogo session's thread
    private volatile boolean stopRequested;

    protected TrafficJob(String command, PvcAddress pvc, AtmSocket socket) {
        this.command = command;
        this.pvc = pvc;
        this.socket = socket;
    }

    /** The traffic itself; returns why it ended (count reached, time up). */
    protected abstract String traffic() throws Exception;

    /** What the job did so far, or in all once it ended: counts, rates, how it ended. */
    public abstract String report();

    /** Short progress for listings: {@code 1234 SDUs, 40.00 Mbit/s}. */
    public abstract String progress();

    @Override
    public final void run() {
        synchronized (lock) {
            thread = Thread.currentThread();
        }
        try {
            ending = traffic();
            state = State.DONE;
        } catch (InterruptedException | InterruptedIOException e) {
            ending = "stopped";
            state = State.STOPPED;
            if (!stopRequested) {
                Thread.currentThread().interrupt(); // someone else's interrupt (the shell's): keep it
            }
        } catch (ConnectionClosedException e) {
            ending = "the connection closed: " + e.reason();
            state = State.STOPPED;
        } catch (Exception | Error e) {
            LOG.log(Level.WARNING, command + " " + pvc + " failed", e);
            ending = "failed: " + e;
            state = State.FAILED;
        } finally {
            finished();
            synchronized (lock) {
                thread = null;
                if (stopRequested) {
                    Thread.interrupted(); // stop()'s interrupt, wherever it landed, is not left on a Gogo thread
                }
            }
        }
    }

    /** Called once when the traffic ended, in the job's thread. */
    protected void finished() {
    }

    /**
     * Called after the job's socket was closed (its worker has stopped), so the report can count what really left:
     * a PDU may still be sent between the job's end and the close.
     */
    public void socketClosed() {
    }

    /** Runs the job in a daemon thread of its own. */
    public void startInBackground() {
        Thread t = new Thread(this, "atm-shell-" + command.replace("atm:", "") + "-" + pvc);
        t.setDaemon(true);
        synchronized (lock) {
            thread = t;
        }
        t.start();
    }

    /** Ends the job if it runs, and waits (bounded) for its thread. */
    public void stop() {
        Thread t;
        synchronized (lock) {
            t = thread;
            if (t == null || t == Thread.currentThread()) {
                return;
            }
            stopRequested = true;
            t.interrupt();
        }
        try {
            t.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public State state() {
        return state;
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    /** Why the job ended, or empty while it runs. */
    public String ending() {
        return ending;
    }

    public String command() {
        return command;
    }
}
