package org.drops.atm.shell.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The arguments of one command: options ({@code -c 100}, {@code -b}) anywhere, positional arguments in order,
 * {@code --} ends the options. Every problem is a {@link BadArguments} naming the argument and carrying the
 * command's usage.
 */
public final class Args {

    private final String command;
    private final String usage;
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args(String command, String usage) {
        this.command = command;
        this.usage = usage;
    }

    /**
     * Parses {@code raw}.
     *
     * @param valued options that take a value, such as {@code -c}
     * @param flags  options that take none, such as {@code -b}
     */
    public static Args parse(String command, String usage, String[] raw, List<String> valued, List<String> flags) {
        Args a = new Args(command, usage);
        boolean options = true;
        String[] args = raw == null ? new String[0] : raw;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg == null) {
                throw a.bad("argument " + (i + 1) + " is null");
            }
            if (options && arg.equals("--")) {
                options = false;
            } else if (options && arg.startsWith("-") && arg.length() > 1 && !Character.isDigit(arg.charAt(1))) {
                if (a.values.containsKey(arg)) {
                    throw a.bad(arg + " is given twice");
                }
                if (valued.contains(arg)) {
                    if (i + 1 >= args.length) {
                        throw a.bad(arg + " needs a value");
                    }
                    a.values.put(arg, args[++i]);
                } else if (flags.contains(arg)) {
                    a.values.put(arg, "");
                } else {
                    List<String> known = new ArrayList<>(valued);
                    known.addAll(flags);
                    throw a.bad("unknown option " + arg + (known.isEmpty() ? " (it takes none)" : " (options: "
                            + String.join(", ", known) + ")"));
                }
            } else {
                a.positional.add(arg);
            }
        }
        return a;
    }

    /** A {@link BadArguments} for this command with its usage. */
    public BadArguments bad(String problem) {
        return new BadArguments(command, problem, usage);
    }

    /** Checks the number of positional arguments, naming what is missing or extra. */
    public Args positionalCount(int min, int max, String... names) {
        int n = positional.size();
        if (n < min) {
            String missing = names.length > n ? names[n] : "an argument";
            throw bad(n == 0 && min > 1 ? "missing arguments: " + String.join(" ", names).trim()
                    : "missing " + missing);
        }
        if (n > max) {
            throw bad("unexpected argument \"" + positional.get(max) + "\"" + (max == 0 ? " (it takes none)" : ""));
        }
        return this;
    }

    public int positionalCount() {
        return positional.size();
    }

    /** The positional argument at {@code index}, if given. */
    public Optional<String> positional(int index) {
        return index < positional.size() ? Optional.of(positional.get(index)) : Optional.empty();
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** An option's value converted; a conversion failure becomes a {@link BadArguments} naming the option. */
    public <T> Optional<T> option(String name, Function<String, T> convert) {
        String v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(convert.apply(v));
        } catch (IllegalArgumentException e) {
            throw bad(name + " " + v + ": " + e.getMessage());
        }
    }

    /** A positional argument converted; a failure becomes a {@link BadArguments} naming it. */
    public <T> T convert(String what, String value, Function<String, T> convert) {
        try {
            return convert.apply(value);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            // the API's parsers name the value themselves (PVC address "x": ...)
            throw bad(message.contains("\"" + value + "\"") ? what + ": " + message : what + " \"" + value + "\": " + message);
        }
    }
}
