package io.settle.tools.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The soak's plan (drill/soak): when to inject which fault and when to send hostile records, as a
 * pure function of the seed and the duration, so the same seed gives the same schedule.
 *
 * <p>Faults are spread over the traffic's duration (the first 30 s and the last 20 s are left
 * quiet), about one a minute and at least {@value #KINDS_COUNT}; the first {@value #KINDS_COUNT}
 * are every kind once in a seeded order, the rest drawn at random. A broker stop lasts 5 to 25 s
 * (many checkpoint intervals); a rescale goes to another parallelism of 1 to {@value
 * #MAX_PARALLELISM} than the one the schedule left the job at. Rounds of hostile records fall
 * between, about one each 90 s and at least two.
 */
public final class SoakSchedule {

    /** The kinds of fault, as the soak script names them. */
    public enum Kind {
        TM_KILL("tm-kill"),
        JM_KILL("jm-kill"),
        BROKER_KILL("broker-kill"),
        BROKER_STOP("broker-stop"),
        RESCALE("rescale"),
        HOSTILE("hostile");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    static final int KINDS_COUNT = 5;
    static final int MAX_PARALLELISM = 4;
    static final int START_PARALLELISM = 2;

    /**
     * One step: at {@code atSecond} of the traffic, {@code kind}, with {@code arg} (a broker stop's
     * seconds, a rescale's parallelism, a hostile round's number; 0 otherwise).
     */
    public record Step(long atSecond, Kind kind, int arg) {
        public String line() {
            return String.format(Locale.ROOT, "%d %s %d", atSecond, kind.label, arg);
        }
    }

    private SoakSchedule() {}

    public static List<Step> plan(long seed, Duration duration) {
        long total = duration.toSeconds();
        if (total < 60) {
            throw new IllegalArgumentException(
                    "a soak runs at least 60s (its faults need room), got " + duration);
        }
        Random random = new Random(seed);
        long first = 30;
        long last = total - 20;
        int faults = (int) Math.max(KINDS_COUNT, Math.round(total / 60.0));
        List<Kind> kinds =
                new ArrayList<>(
                        List.of(
                                Kind.TM_KILL,
                                Kind.JM_KILL,
                                Kind.BROKER_KILL,
                                Kind.BROKER_STOP,
                                Kind.RESCALE));
        Collections.shuffle(kinds, random);
        while (kinds.size() < faults) {
            kinds.add(kinds.get(random.nextInt(KINDS_COUNT)));
        }
        List<Step> steps = new ArrayList<>();
        double slot = (double) (last - first) / faults;
        int parallelism = START_PARALLELISM;
        for (int i = 0; i < faults; i++) {
            long at = first + Math.round(slot * i + random.nextDouble() * slot * 0.5);
            Kind kind = kinds.get(i);
            int arg = 0;
            if (kind == Kind.BROKER_STOP) {
                arg = 5 + random.nextInt(21);
            } else if (kind == Kind.RESCALE) {
                int next = 1 + random.nextInt(MAX_PARALLELISM - 1);
                arg = next >= parallelism ? next + 1 : next;
                parallelism = arg;
            }
            steps.add(new Step(at, kind, arg));
        }
        int rounds = (int) Math.max(2, total / 90);
        double gap = (double) (last - first) / rounds;
        for (int r = 0; r < rounds; r++) {
            long at = first + Math.round(gap * r + gap / 2 + (random.nextDouble() - 0.5) * gap / 2);
            steps.add(new Step(at, Kind.HOSTILE, r + 1));
        }
        steps.sort(Comparator.comparingLong(Step::atSecond).thenComparing(Step::kind));
        return steps;
    }
}
