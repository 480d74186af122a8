package org.drops.atm.linuxbridge.scheduling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A thread's scheduling as the kernel shows it in {@code /proc/self/task/<tid>/stat} (proc(5)): fields 40
 * ({@code rt_priority}), 41 ({@code policy}) and 19 ({@code nice}), counted after the parenthesised command
 * name, which may itself contain spaces. Independent of the code under test: no JNA.
 */
record ThreadProc(String comm, int policy, int rtPriority, int nice) {

    static ThreadProc of(long tid) throws IOException {
        Path task = Path.of("/proc/self/task/" + tid);
        String stat = Files.readString(task.resolve("stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after[0] is field 3 (state): field n is after[n - 3]
        return new ThreadProc(Files.readString(task.resolve("comm")).strip(), Integer.parseInt(after[41 - 3]),
                Integer.parseInt(after[40 - 3]), Integer.parseInt(after[19 - 3]));
    }
}
