package org.drops.atm.linuxbridge.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.scheduling.SchedulingPolicy;
import org.drops.atm.api.scheduling.SchedulingRequest;
import org.drops.atm.linuxbridge.libc.LibC;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on this kernel. Granting needs CAP_SYS_NICE (CI runs as root); refusal is produced for real by
 * dropping CAP_SYS_NICE from one thread's capability sets (capabilities are per thread on Linux).
 */
class LinuxSchedulerTest {

    private static final int CAP_SYS_NICE = 23;

    private final LinuxScheduler scheduler = new LinuxScheduler();

    static boolean hasCapSysNice() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << CAP_SYS_NICE)) != 0;
            }
        }
        return false;
    }

    /** Runs the task on a fresh thread with the given name (so a real-time policy never outlives the test). */
    static <T> T onThread(String name, java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.start();
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void fifoIsGrantedAndTheKernelShowsItForThatThreadOnly() throws Exception {
        requirePrivilege(hasCapSysNice(), "needs CAP_SYS_NICE (CI runs as root)");
        Object[] seen = onThread("sched-fifo-test", () -> {
            GrantedPriority g = scheduler.applyToCurrentThread(SchedulingRequest.fifo(10));
            return new Object[] {g, ThreadProc.of(g.linuxTid()), scheduler.currentThreadPriority()};
        });
        GrantedPriority granted = (GrantedPriority) seen[0];
        ThreadProc proc = (ThreadProc) seen[1];
        assertTrue(granted.asRequested(), granted.toString());
        assertEquals(SchedulingPolicy.FIFO, granted.policy());
        assertEquals(10, granted.priority());
        assertEquals("sched-fifo-test", proc.comm(), "the tid is the calling thread's");
        assertEquals(SchedulingPolicy.FIFO.linuxCode(), proc.policy(), "/proc policy");
        assertEquals(10, proc.rtPriority(), "/proc rt_priority");
        GrantedPriority now = (GrantedPriority) seen[2];
        assertEquals(SchedulingPolicy.FIFO, now.policy(), "currentThreadPriority: " + now);
        assertEquals(10, now.priority());
        ThreadProc mine = ThreadProc.of(LibC.gettid());
        assertEquals(SchedulingPolicy.OTHER.linuxCode(), mine.policy(), "the test's own thread is untouched");
    }

    @Test
    void aThreadStartedByARealTimeThreadBeginsAtTimeSharing() throws Exception {
        requirePrivilege(hasCapSysNice(), "needs CAP_SYS_NICE (CI runs as root)");
        ThreadProc child = onThread("sched-parent", () -> {
            GrantedPriority g = scheduler.applyToCurrentThread(SchedulingRequest.fifo(10));
            assertTrue(g.asRequested(), g.toString());
            // without SCHED_RESET_ON_FORK, pthread_create would hand SCHED_FIFO 10 on to this thread
            return onThread("sched-child", () -> ThreadProc.of(LibC.gettid()));
        });
        assertEquals("sched-child", child.comm());
        assertEquals(SchedulingPolicy.OTHER.linuxCode(), child.policy());
        assertEquals(0, child.rtPriority());
    }

    @Test
    void aNiceValueIsAppliedAndReadBack() throws Exception {
        GrantedPriority g = onThread("sched-nice-test", () -> scheduler.applyToCurrentThread(SchedulingRequest.timeSharing(5)));
        assertTrue(g.asRequested(), g.toString());
        assertEquals(SchedulingPolicy.OTHER, g.policy());
        assertEquals(5, g.nice());
    }

    @Test
    void aRefusalIsReportedWithTheErrnoAndLoggedOnce() throws Exception {
        // A refusal can only be produced where the kernel refuses: with RLIMIT_RTPRIO 0 and no CAP_SYS_NICE. Root (CI)
        // is never refused, so there this test has nothing to observe and is skipped; the granted path is tested above.
        assumeTrue(rtprioLimit() == 0, "RLIMIT_RTPRIO must be 0 for an unprivileged thread to be refused");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(LinuxScheduler.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            for (int i = 0; i < 2; i++) {
                Object[] seen = onThread("sched-refused-" + i, () -> {
                    dropCapSysNice();
                    GrantedPriority g = scheduler.applyToCurrentThread(SchedulingRequest.fifo(10));
                    return new Object[] {g, ThreadProc.of(LibC.gettid())};
                });
                GrantedPriority g = (GrantedPriority) seen[0];
                assertFalse(g.asRequested(), g.toString());
                assertEquals(SchedulingPolicy.OTHER, g.policy(), "the thread keeps time sharing");
                assertTrue(g.detail().startsWith("sched_setscheduler(FIFO): EPERM (1)"), g.detail());
                assertEquals(SchedulingPolicy.OTHER.linuxCode(), ((ThreadProc) seen[1]).policy());
            }
        } finally {
            log.removeHandler(capture);
        }
        assertEquals(1, warnings.size(), "one warning for two refusals: " + warnings.stream().map(LogRecord::getMessage).toList());
        String message = warnings.get(0).getMessage();
        assertTrue(message.contains("EPERM") && message.contains("CAP_SYS_NICE") && message.contains("RLIMIT_RTPRIO"), message);
    }

    private static long rtprioLimit() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max realtime priority")) {
                String soft = line.substring(26).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return 0;
    }

    /** capget/capset on the calling thread only (the raw calls; libcap would broadcast to every thread). */
    private static void dropCapSysNice() {
        int[] header = {0x20080522, 0}; // _LINUX_CAPABILITY_VERSION_3, this thread
        int[] data = new int[6]; // two of {effective, permitted, inheritable}
        if (LibC.syscall(LibC.SYS_CAPGET, header, data) != 0) {
            throw new IllegalStateException("capget: errno " + LibC.errno());
        }
        int mask = ~(1 << CAP_SYS_NICE);
        data[0] &= mask; // effective
        data[1] &= mask; // permitted
        if (LibC.syscall(LibC.SYS_CAPSET, header, data) != 0) {
            throw new IllegalStateException("capset: errno " + LibC.errno());
        }
    }

    /** Skips on a developer's unprivileged machine; fails under CI ({@code CI=true}, set by .ci/run), which runs as root. */
    private static void requirePrivilege(boolean present, String reason) {
        if ("true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.assertTrue(present, reason);
        }
        assumeTrue(present, reason);
    }
}
