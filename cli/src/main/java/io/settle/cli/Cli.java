package io.settle.cli;

import java.io.PrintStream;
import java.util.Map;

/** How every command starts: parse, answer {@code --help}, fail a bad command line the same way. */
public final class Cli {
    private Cli() {}

    /** The body of a command, given its parsed command line. */
    @FunctionalInterface
    public interface Body {
        void run(Parsed options) throws Exception;
    }

    /**
     * Parses {@code args} with {@code set}, prints the help and returns on {@code --help}, else
     * runs {@code body}. A {@link BadOptionException}, from parsing or from the body's own checks,
     * prints {@code COMMAND: MESSAGE} and a pointer to {@code --help} on stderr and exits with 2.
     */
    public static void run(OptionSet set, String[] args, Body body) throws Exception {
        run(set, args, System.getenv(), System.out, System.err, body);
    }

    static void run(
            OptionSet set,
            String[] args,
            Map<String, String> env,
            PrintStream out,
            PrintStream err,
            Body body)
            throws Exception {
        Parsed parsed;
        try {
            parsed = set.parse(args, env);
        } catch (BadOptionException e) {
            exit(set, err, e);
            return;
        }
        if (parsed.help()) {
            out.print(set.help());
            out.flush();
            return;
        }
        try {
            body.run(parsed);
        } catch (BadOptionException e) {
            exit(set, err, e);
        }
    }

    /** Prints the one error shape of a bad command line and exits with 2. */
    public static void exit(OptionSet set, PrintStream err, BadOptionException e) {
        err.println(set.command() + ": " + e.getMessage());
        err.println("Run '" + set.command() + " --help' for the options.");
        err.flush();
        System.exit(2);
    }
}
