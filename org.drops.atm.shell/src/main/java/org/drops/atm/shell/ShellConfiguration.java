package org.drops.atm.shell;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The shell's configuration (PID {@code org.drops.atm.shell}): defaults of test traffic and capture. */
@ObjectClassDefinition(name = "DROPS ATM shell",
        description = "Defaults of the atm:* Gogo commands: test traffic (atm:awrite, atm:aread) and capture (atm:dump).")
public @interface ShellConfiguration {

    /** SDUs a foreground awrite or aread handles when neither -c nor -t is given. */
    long DEFAULT_COUNT = 100;
    /** The test SDU size when neither -s nor the contract's sdu gives one: the paper's 8 KB datagrams. */
    int DEFAULT_SDU_BYTES = 8192;
    /** How long a foreground aread waits at most when no -t is given. */
    int DEFAULT_AREAD_SECONDS = 10;
    /** How long a dump runs when neither a count nor a time is given. */
    int DEFAULT_DUMP_SECONDS = 10;
    /** The longest a dump with only a count runs. */
    int DEFAULT_DUMP_MAX_SECONDS = 300;
    /** SDU bytes a capture may queue before PDUs are lost. */
    long DEFAULT_CAPTURE_BUFFER_BYTES = 16L << 20;

    @AttributeDefinition(name = "Default count", description = "SDUs a foreground atm:awrite sends, and a foreground "
            + "atm:aread waits for, when neither -c nor -t is given.")
    long default_count() default DEFAULT_COUNT;

    @AttributeDefinition(name = "Default SDU size", description = "Bytes of each test SDU when -s is not given and the "
            + "contract sets no sdu (0..65535).")
    int default_sdu_bytes() default DEFAULT_SDU_BYTES;

    @AttributeDefinition(name = "aread time limit (s)", description = "How long a foreground atm:aread waits at most "
            + "when -t is not given.")
    int aread_seconds() default DEFAULT_AREAD_SECONDS;

    @AttributeDefinition(name = "Dump time (s)", description = "How long atm:dump captures when neither a count nor a "
            + "time is given.")
    int dump_seconds() default DEFAULT_DUMP_SECONDS;

    @AttributeDefinition(name = "Dump time limit (s)", description = "The longest atm:dump with only a PDU count runs.")
    int dump_max_seconds() default DEFAULT_DUMP_MAX_SECONDS;

    @AttributeDefinition(name = "Capture buffer (bytes)", description = "SDU bytes a capture may hold in memory "
            + "before the file writer catches up; PDUs beyond it are counted as lost, never block the driver.")
    long capture_buffer_bytes() default DEFAULT_CAPTURE_BUFFER_BYTES;
}
