package io.settle.testkit;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Flink clusters in this JVM that run the production settings: the project's {@code
 * flink-conf/config.yaml} (RocksDB, incremental and retained checkpoints, unaligned checkpoints
 * under backpressure, timeouts), minus what belongs to one machine's processes (ports, bind
 * addresses, folders, the Prometheus reporter), which the caller sets. And what tests ask of a
 * running job: are its tasks running, how many checkpoints completed, how often it restarted.
 */
public final class Flink {
    private Flink() {}

    /** Slots of the test MiniCluster's TaskManager. */
    public static final int SLOTS = 4;

    /** Keys of flink-conf/config.yaml that describe one machine's processes, not the job's run. */
    static final List<String> PROCESS_KEYS =
            List.of(
                    "jobmanager.rpc.address",
                    "jobmanager.rpc.port",
                    "jobmanager.bind-host",
                    "taskmanager.bind-host",
                    "taskmanager.host",
                    "rest.address",
                    "rest.bind-address",
                    "rest.port",
                    "jobmanager.memory.process.size",
                    "taskmanager.memory.process.size",
                    "taskmanager.numberOfTaskSlots",
                    "env.java.opts.all",
                    "metrics.reporters",
                    "metrics.reporter.prom.factory.class",
                    "metrics.reporter.prom.port",
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                    CheckpointingOptions.SAVEPOINT_DIRECTORY.key());

    /** flink-conf/config.yaml without its {@link #PROCESS_KEYS}. */
    public static Configuration conf() {
        Configuration loaded = GlobalConfiguration.loadConfiguration(Repo.flinkConf().toString());
        Configuration conf = new Configuration();
        loaded.toMap()
                .forEach(
                        (k, v) -> {
                            if (!PROCESS_KEYS.contains(k)) {
                                conf.setString(k, v);
                            }
                        });
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(200));
        return conf;
    }

    /** A MiniCluster for a test class: one TaskManager with {@link #SLOTS} slots. */
    public static MiniClusterExtension miniCluster() {
        return miniCluster(1, SLOTS, new Configuration());
    }

    /**
     * A MiniCluster of two TaskManagers with two slots each: flink-conf spreads a job's slots over
     * them ({@code taskmanager.load-balance.mode: SLOTS}), so a job at parallelism 2 runs on both
     * and its keyed exchange crosses the network, as it does at scale.
     */
    public static MiniClusterExtension twoTaskManagers() {
        return miniCluster(2, 2, new Configuration());
    }

    /** A MiniCluster of {@code taskManagers} TaskManagers, {@code conf()} plus {@code extra}. */
    public static MiniClusterExtension miniCluster(
            int taskManagers, int slotsPerTaskManager, Configuration extra) {
        Configuration conf = conf();
        conf.addAll(extra);
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .setConfiguration(conf)
                        .build());
    }

    /**
     * A job's environment on the test's MiniCluster, as {@code flink run} with the project's
     * flink-conf gives it: checkpoints under {@code checkpoints} (a folder in target/), restored
     * from {@code restoreFrom} when it is not null, and quick fixed-delay restarts (a test's
     * injected failures need not wait out production backoff).
     */
    public static StreamExecutionEnvironment env(Path checkpoints, String restoreFrom) {
        Configuration conf = conf();
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    public static boolean allTasksRunning(MiniCluster cluster, JobID job) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
        if (graph.getState() != JobStatus.RUNNING) {
            return false;
        }
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    public static void awaitAllTasksRunning(MiniCluster cluster, JobID job) throws Exception {
        Await.until(
                Duration.ofSeconds(30),
                () -> "every task of job " + job + " to run",
                () -> allTasksRunning(cluster, job));
    }

    /**
     * Cancels a job and waits until it is terminal: cancel() returns once the request is taken,
     * while the job's tasks may still write checkpoint files (into a test's temporary folder).
     */
    public static void cancelAndAwait(MiniCluster cluster, JobID job) throws Exception {
        cluster.cancelJob(job).get(30, java.util.concurrent.TimeUnit.SECONDS);
        Await.until(
                Duration.ofSeconds(60),
                () -> "job " + job + " to be terminal after cancel",
                () -> cluster.getJobStatus(job).get().isGloballyTerminalState());
    }

    public static long completedCheckpoints(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getExecutionGraph(job)
                .get()
                .getCheckpointStatsSnapshot()
                .getCounts()
                .getNumberOfCompletedCheckpoints();
    }

    /** The job's {@code numRestarts} metric through the REST API; -1 while it is not reported. */
    public static long numRestarts(URI rest, JobID job) throws IOException, InterruptedException {
        for (JsonNode metric : get(rest, "/jobs/" + job + "/metrics?get=numRestarts")) {
            if ("numRestarts".equals(metric.path("id").asText())) {
                return Long.parseLong(metric.path("value").asText());
            }
        }
        return -1;
    }

    /**
     * The sum over every subtask of an operator metric called {@code name} (the first vertex that
     * reports one), through the REST API; -1 while no vertex reports it.
     */
    public static long operatorMetric(URI rest, JobID job, String name)
            throws IOException, InterruptedException {
        for (JsonNode vertex : get(rest, "/jobs/" + job).path("vertices")) {
            String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText();
            for (JsonNode metric : get(rest, path + "/subtasks/metrics")) {
                String id = metric.path("id").asText();
                if (id.equals(name) || id.endsWith("." + name)) {
                    JsonNode values =
                            get(
                                    rest,
                                    path
                                            + "/subtasks/metrics?agg=sum&get="
                                            + java.net.URLEncoder.encode(
                                                    id, java.nio.charset.StandardCharsets.UTF_8));
                    for (JsonNode v : values) {
                        return (long) v.path("sum").asDouble();
                    }
                }
            }
        }
        return -1;
    }

    private static JsonNode get(URI rest, String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(rest.resolve(path)).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    "REST " + response.uri() + " answered " + response.statusCode());
        }
        return JsonLines.JSON.readTree(response.body());
    }

    /** The latest retained checkpoint ({@code chk-N} with its metadata) of a job's folder. */
    public static java.nio.file.Path latestCheckpoint(java.nio.file.Path jobFolder)
            throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> children =
                java.nio.file.Files.list(jobFolder)) {
            return children.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> java.nio.file.Files.exists(p.resolve("_metadata")))
                    .max(
                            java.util.Comparator.comparingLong(
                                    p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .orElseThrow(
                            () -> new AssertionError("no retained checkpoint in " + jobFolder));
        }
    }

    /** The TaskManagers (their resource ids) that run a subtask of the job now. */
    public static java.util.Set<String> taskManagersOf(MiniCluster cluster, JobID job)
            throws Exception {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (var vertex : cluster.getExecutionGraph(job).get().getAllExecutionVertices()) {
            var location = vertex.getCurrentAssignedResourceLocation();
            if (location != null) {
                out.add(location.getResourceID().toString());
            }
        }
        return out;
    }
}
