package io.settle.jobs;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.operators.core.SettlementState;
import io.settle.testkit.Flink;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The live job restored from a savepoint, in a JVM of its own whose classpath puts another compiled
 * {@link SettlementState} first (StateEvolutionITCase forks it): prints which class it loaded and
 * the state type Flink derives from it, runs the job on a local cluster until its stdin closes,
 * then cancels it.
 *
 * <pre>EvolvedStateJob CHECKPOINT_DIR SAVEPOINT [job options...]</pre>
 */
public final class EvolvedStateJob {
    private EvolvedStateJob() {}

    public static void main(String[] args) throws Exception {
        Path checkpoints = Path.of(args[0]);
        String savepoint = args[1];
        String[] jobArgs = Arrays.copyOfRange(args, 2, args.length);
        System.out.println(
                "state class from "
                        + SettlementState.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation());
        System.out.println("state type " + TypeInformation.of(SettlementState.class));
        StreamExecutionEnvironment env = Flink.env(checkpoints, savepoint);
        SettlementJob.prepare(env, SettleOptions.parse(jobArgs, Map.of()));
        JobClient job = env.executeAsync("settle evolved state");
        System.out.println("submitted " + job.getJobID());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our stdin
        }
        System.out.println("status " + job.getJobStatus().get());
        job.cancel().get(30, TimeUnit.SECONDS);
        System.exit(0);
    }
}
