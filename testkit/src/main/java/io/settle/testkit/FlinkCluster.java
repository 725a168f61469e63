package io.settle.testkit;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
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
 * A Flink cluster in this JVM with the production settings ({@link Flink#conf()}: the project's
 * flink-conf/config.yaml): one JobManager with its REST endpoint and web UI (when flink-runtime-web
 * is on the class path), TaskManagers with a slot per unit of parallelism, checkpoints and
 * savepoints under a folder of the caller's. Jobs are submitted over REST as to any cluster ({@link
 * #env()}), and a TaskManager can be killed and replaced. What {@code ./settle local}, {@code
 * ./settle replay} and the bench run on.
 */
public final class FlinkCluster implements AutoCloseable {
    private final MiniCluster cluster;
    private final URI rest;
    private final Path folder;

    private FlinkCluster(MiniCluster cluster, URI rest, Path folder) {
        this.cluster = cluster;
        this.rest = rest;
        this.folder = folder;
    }

    /** Starts building a cluster whose checkpoints and savepoints go under {@code folder}. */
    public static Builder builder(Path folder) {
        return new Builder(folder);
    }

    /** How the cluster is shaped. */
    public static final class Builder {
        private final Path folder;
        private int taskManagers = 1;
        private int slots = 2;
        private MemorySize managedMemory;
        private int restPort;
        private String bindAddress = "localhost";
        private final Configuration extra = new Configuration();

        private Builder(Path folder) {
            this.folder = folder;
        }

        public Builder taskManagers(int n) {
            this.taskManagers = n;
            return this;
        }

        public Builder slots(int n) {
            this.slots = n;
            return this;
        }

        public Builder managedMemory(MemorySize size) {
            this.managedMemory = size;
            return this;
        }

        /** The REST and web UI port; 0 (the default) takes a free one. */
        public Builder restPort(int port) {
            this.restPort = port;
            return this;
        }

        /** The Prometheus reporter on {@code port} of this host. */
        public Builder prometheus(int port) {
            extra.setString(
                    "metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            extra.setString("metrics.reporter.prom.port", Integer.toString(port));
            extra.set(MetricOptions.REPORTERS_LIST, "prom");
            return this;
        }

        /** More settings on top of the production ones (a reporter, a restart strategy, ...). */
        public Builder with(Configuration more) {
            extra.addAll(more);
            return this;
        }

        public FlinkCluster start() throws Exception {
            Configuration conf = Flink.conf();
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
            if (managedMemory != null) {
                conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managedMemory);
            }
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    folder.resolve("checkpoints").toUri().toString());
            conf.set(
                    CheckpointingOptions.SAVEPOINT_DIRECTORY,
                    folder.resolve("savepoints").toUri().toString());
            conf.set(RestOptions.ADDRESS, bindAddress);
            conf.set(RestOptions.BIND_ADDRESS, bindAddress);
            conf.set(RestOptions.BIND_PORT, Integer.toString(restPort));
            conf.addAll(extra);
            MiniCluster cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(conf)
                                    .setNumTaskManagers(taskManagers)
                                    .setNumSlotsPerTaskManager(slots)
                                    .build());
            cluster.start();
            URI rest = cluster.getRestAddress().get(60, TimeUnit.SECONDS);
            return new FlinkCluster(cluster, rest, folder);
        }
    }

    /** An environment that submits to this cluster over REST, as {@code flink run} would. */
    public StreamExecutionEnvironment env() {
        return env(new Configuration());
    }

    /** As {@link #env()}, with more settings for the submission (e.g. a savepoint to restore). */
    public StreamExecutionEnvironment env(Configuration extra) {
        Configuration conf = new Configuration(extra);
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(RestOptions.ADDRESS, rest.getHost());
        conf.set(RestOptions.PORT, rest.getPort());
        return new StreamExecutionEnvironment(conf);
    }

    /** Waits until every task of the job runs (its state restored), or fails after the timeout. */
    public void awaitAllTasksRunning(JobID job, Duration timeout) throws Exception {
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

    public URI rest() {
        return rest;
    }

    public Path folder() {
        return folder;
    }

    /** Stops the first TaskManager: its tasks fail, its slots go. */
    public void killTaskManager() throws Exception {
        cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
    }

    /** Starts one more TaskManager (after losing one). */
    public void startTaskManager() throws Exception {
        cluster.startTaskManager();
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get(120, TimeUnit.SECONDS);
    }
}
