package io.settle.tools;

import io.settle.cli.BadOptionException;
import io.settle.generator.GenerateCommand;
import io.settle.tools.bench.Bench;
import io.settle.tools.inspect.SavepointInspector;
import io.settle.tools.local.SettleLocal;

import java.util.Arrays;

/**
 * The Java side of the launcher ({@code ./settle COMMAND [options]}): one main that hands each
 * command its arguments. Every command reads its options through the one command-line layer ({@code
 * io.settle.cli}) and answers {@code --help}.
 */
public final class Settle {
    private Settle() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: settle COMMAND [options]  (settle help)");
            System.exit(2);
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (command) {
                case "local":
                    SettleLocal.local(rest);
                    break;
                case "replay":
                    SettleLocal.replay(rest);
                    break;
                case "generate":
                    GenerateCommand.main(rest);
                    break;
                case "report":
                    SettleLocal.report(rest);
                    break;
                case "inspect":
                    System.exit(SavepointInspector.run(rest, System.out, System.err));
                    break;
                case "bench":
                    Bench.main(rest);
                    break;
                case "migrate":
                    System.exit(io.settle.tools.migrate.Migrate.run(rest, System.out, System.err));
                    break;
                case "docs":
                    OptionTables.main(rest);
                    break;
                default:
                    System.err.println("settle: unknown command '" + command + "'");
                    System.exit(2);
            }
        } catch (BadOptionException e) {
            System.err.println("settle " + command + ": " + e.getMessage());
            System.err.println("Run 'settle " + command + " --help' for the options.");
            System.exit(2);
        } catch (IllegalArgumentException e) {
            System.err.println("settle " + command + ": " + e.getMessage());
            System.exit(2);
        } catch (Throwable e) {
            // The broker's threads would keep the JVM alive: say what failed and leave.
            System.err.println("settle " + command + ": failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
