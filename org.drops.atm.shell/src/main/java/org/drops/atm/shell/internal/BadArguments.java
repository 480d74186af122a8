package org.drops.atm.shell.internal;

/**
 * A command was given arguments it cannot use. The message names what was wrong and ends with the command's
 * usage; Gogo prints it as {@code gogo: BadArguments: <message>} (and {@code run/gogo} exits 1), never with a
 * stack trace.
 */
public final class BadArguments extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param command the command, such as {@code atm:open}
     * @param problem what was wrong, naming the argument
     * @param usage   the command's usage text
     */
    public BadArguments(String command, String problem, String usage) {
        super(command + ": " + problem + "\nusage: " + usage, null, false, false);
    }
}
