package io.settle.jobs;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator uids of the live and the replay topology, from their StreamGraphs, are the
 * checked-in list {@code src/test/resources/operator-uids.txt}. A savepoint maps state to operators
 * by uid: a changed or missing uid is state that the next restore cannot find, so it fails the
 * build here, not in production.
 */
class OperatorUidsTest {
    static final Path CHECKED_IN = Path.of("src/test/resources/operator-uids.txt");
    static final Path ACTUAL = Path.of("target/operator-uids.actual.txt");

    private static List<String> uids(String mode, String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SettlementJob.prepare(env, SettleOptions.parse(args, Map.of()));
        StreamGraph graph = env.getStreamGraph();
        List<String> lines = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            String uid = node.getTransformationUID();
            lines.add(
                    mode + " " + (uid == null ? "(NO UID: " + node.getOperatorName() + ")" : uid));
        }
        Collections.sort(lines);
        return lines;
    }

    static List<String> actual(Path tmp) throws Exception {
        List<String> all = new ArrayList<>();
        all.addAll(uids("live", new String[] {"--kafka.bootstrap-servers", "localhost:9092"}));
        all.addAll(
                uids(
                        "replay",
                        new String[] {
                            "--mode",
                            "replay",
                            "--input",
                            tmp.resolve("in.jsonl").toString(),
                            "--output",
                            tmp.resolve("out").toString(),
                            "--until",
                            "2026-11-25T18:00:00Z"
                        }));
        return all;
    }

    private static List<String> checkedIn() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(CHECKED_IN, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    @Test
    void everyOperatorHasAUid(@TempDir Path tmp) throws Exception {
        assertThat(actual(tmp)).noneMatch(l -> l.contains("NO UID")).isNotEmpty();
    }

    @Test
    void theUidsAreTheCheckedInList(@TempDir Path tmp) throws Exception {
        List<String> actual = actual(tmp);
        Files.createDirectories(ACTUAL.getParent());
        Files.write(ACTUAL, actual, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>(checkedIn());
        missing.removeAll(actual);
        List<String> added = new ArrayList<>(actual);
        added.removeAll(checkedIn());
        assertThat(actual)
                .as(
                        "The job's operator uids changed.%n"
                                + "  gone (their state in every existing savepoint would be lost"
                                + " or refuse to restore): %s%n"
                                + "  new: %s%n"
                                + "If this is on purpose, and you know what becomes of the state"
                                + " of the gone uids (restore then needs --allowNonRestoredState,"
                                + " which drops it), update the list:%n"
                                + "  cp job/%s job/%s%n"
                                + "and say so in the commit message. Otherwise put the uid back.",
                        missing, added, ACTUAL, CHECKED_IN)
                .isEqualTo(checkedIn());
    }
}
