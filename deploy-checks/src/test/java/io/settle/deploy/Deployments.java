package io.settle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The FlinkDeployment of the base and of each rendered overlay, and what tests read from them. */
final class Deployments {
    private Deployments() {}

    static final List<String> ENVIRONMENTS = List.of("dev", "prod");

    static ObjectNode base() {
        return Repo.document(Repo.K8S.resolve("base/flinkdeployment.yaml"));
    }

    static ObjectNode rendered(String env) {
        for (ObjectNode o : Kustomize.render(Repo.K8S.resolve("overlays/" + env))) {
            if (o.path("kind").asText().equals("FlinkDeployment")) {
                return o;
            }
        }
        throw new AssertionError("overlay " + env + " renders no FlinkDeployment");
    }

    /** The base and every rendered overlay, by name. */
    static Map<String, ObjectNode> all() {
        Map<String, ObjectNode> all = new LinkedHashMap<>();
        all.put("base", base());
        for (String env : ENVIRONMENTS) {
            all.put(env, rendered(env));
        }
        return all;
    }

    /** spec.flinkConfiguration as strings (the operator hands every value to Flink as text). */
    static Map<String, String> conf(JsonNode deployment) {
        Map<String, String> conf = new LinkedHashMap<>();
        deployment
                .path("spec")
                .path("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
        return conf;
    }

    static String[] args(JsonNode deployment) {
        List<String> args = new ArrayList<>();
        deployment.path("spec").path("job").path("args").forEach(a -> args.add(a.asText()));
        return args.toArray(new String[0]);
    }

    /** The pod template's main container, which the operator merges into JM and TM pods. */
    static JsonNode mainContainer(JsonNode deployment) {
        for (JsonNode c :
                deployment.path("spec").path("podTemplate").path("spec").path("containers")) {
            if (c.path("name").asText().equals("flink-main-container")) {
                return c;
            }
        }
        throw new AssertionError("the pod template has no flink-main-container");
    }
}
