package io.settle.jobs.bench;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Flink cluster in this JVM for one part of the bench: one JobManager, one TaskManager with a
 * slot per unit of parallelism, RocksDB's managed memory set, checkpoints under the part's folder
 * and the {@link BenchMetrics} reporter. Jobs are submitted over its REST endpoint as to any
 * cluster ({@link #env()}), and the TaskManager can be killed and replaced ({@link
 * #killTaskManager()}).
 */
final class BenchCluster implements AutoCloseable {
    private final MiniCluster cluster;
    private final URI rest;
    private final Path folder;

    private BenchCluster(MiniCluster cluster, URI rest, Path folder) {
        this.cluster = cluster;
        this.rest = rest;
        this.folder = folder;
    }

    static BenchCluster start(Path folder, int slots, MemorySize managedMemory) throws Exception {
        BenchMetrics.reset();
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managedMemory);
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                folder.resolve("checkpoints").toUri().toString());
        conf.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                folder.resolve("savepoints").toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofSeconds(1));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofSeconds(10));
        conf.setString(BenchMetrics.FACTORY_KEY, BenchMetrics.Factory.class.getName());
        conf.set(MetricOptions.REPORTERS_LIST, BenchMetrics.REPORTER);
        conf.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        URI rest = cluster.getRestAddress().get(60, TimeUnit.SECONDS);
        return new BenchCluster(cluster, rest, folder);
    }

    /** An environment that submits to this cluster over REST, as {@code flink run} would. */
    StreamExecutionEnvironment env() {
        return env(new Configuration());
    }

    /** As {@link #env()}, with more settings for the submission (e.g. a savepoint to restore). */
    StreamExecutionEnvironment env(Configuration extra) {
        Configuration conf = new Configuration(extra);
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(RestOptions.ADDRESS, rest.getHost());
        conf.set(RestOptions.PORT, rest.getPort());
        return new StreamExecutionEnvironment(conf);
    }

    /** Waits until every task of the job runs (its state restored), or fails after the timeout. */
    void awaitAllTasksRunning(JobID job, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(rest.resolve("/jobs/" + job)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode vertices = json.readTree(r.body()).path("vertices");
                boolean all = vertices.size() > 0;
                StringBuilder states = new StringBuilder();
                for (JsonNode v : vertices) {
                    String status = v.path("status").asText();
                    states.append(status).append(' ');
                    all &= status.equals("RUNNING") || status.equals("FINISHED");
                    JsonNode tasks = v.path("tasks");
                    all &=
                            tasks.path("INITIALIZING").asInt(0) == 0
                                    && tasks.path("DEPLOYING").asInt(0) == 0
                                    && tasks.path("SCHEDULED").asInt(0) == 0
                                    && tasks.path("CREATED").asInt(0) == 0;
                }
                if (all) {
                    return;
                }
                last = states.toString();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the job's tasks were not all running in time: " + last);
    }

    URI rest() {
        return rest;
    }

    Path folder() {
        return folder;
    }

    /** Stops the TaskManager (its tasks fail, its slots go) and starts a new one in its place. */
    void killTaskManager() throws Exception {
        cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
    }

    void startTaskManager() throws Exception {
        cluster.startTaskManager();
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get(120, TimeUnit.SECONDS);
    }
}
