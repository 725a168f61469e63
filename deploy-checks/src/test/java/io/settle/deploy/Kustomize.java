package io.settle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of kustomize that {@code k8s/} uses, so that the tests see what {@code kubectl apply -k}
 * would send: resources (files and folders with their own kustomization), {@code namespace}
 * (metadata and ServiceAccount subjects of RoleBindings), {@code patches} by path (for custom
 * resources kustomize merges them as a JSON merge patch, RFC 7386: maps merge, lists are replaced,
 * null deletes) and {@code configMapGenerator} from files. Any other field fails: a kustomization
 * that uses more must teach this class first, never be half rendered.
 */
final class Kustomize {
    private Kustomize() {}

    private static final Set<String> KNOWN =
            Set.of("apiVersion", "kind", "namespace", "resources", "patches", "configMapGenerator");

    /** The resources the kustomization in {@code dir} renders. */
    static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no kustomization.yaml in " + Repo.rel(dir));
        }
        ObjectNode k = Repo.document(file);
        k.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!KNOWN.contains(f)) {
                                throw new AssertionError(
                                        Repo.rel(file) + ": field '" + f + "' is not rendered");
                            }
                        });
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(render(p));
            } else if (Files.isRegularFile(p)) {
                for (JsonNode doc : Repo.documents(p)) {
                    out.add((ObjectNode) doc);
                }
            } else {
                throw new AssertionError(Repo.rel(file) + ": resource " + r + " does not exist");
            }
        }
        for (JsonNode g : k.path("configMapGenerator")) {
            out.add(configMap(dir, g));
        }
        for (JsonNode patch : k.path("patches")) {
            Path p = dir.resolve(patch.path("path").asText()).normalize();
            ObjectNode doc = Repo.document(p);
            ObjectNode target = find(out, doc);
            if (target == null) {
                throw new AssertionError(
                        Repo.rel(p)
                                + " patches "
                                + doc.path("kind").asText()
                                + "/"
                                + doc.path("metadata").path("name").asText()
                                + ", which the base does not have");
            }
            mergePatch(target, doc);
        }
        String namespace = k.path("namespace").asText(null);
        if (namespace != null) {
            for (ObjectNode o : out) {
                ((ObjectNode) o.get("metadata")).put("namespace", namespace);
                if (o.path("kind").asText().equals("RoleBinding")) {
                    for (JsonNode s : o.path("subjects")) {
                        if (s.path("kind").asText().equals("ServiceAccount")) {
                            ((ObjectNode) s).put("namespace", namespace);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static ObjectNode configMap(Path dir, JsonNode generator) {
        ObjectNode cm = Repo.JSON.createObjectNode();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata");
        meta.put("name", generator.path("name").asText());
        if (generator.path("options").has("labels")) {
            meta.set("labels", generator.path("options").path("labels").deepCopy());
        }
        ObjectNode data = cm.putObject("data");
        for (JsonNode f : generator.path("files")) {
            Path p = dir.resolve(f.asText());
            data.put(p.getFileName().toString(), Repo.read(p));
        }
        return cm;
    }

    private static ObjectNode find(List<ObjectNode> resources, JsonNode patch) {
        for (ObjectNode o : resources) {
            if (o.path("kind").equals(patch.path("kind"))
                    && o.path("metadata")
                            .path("name")
                            .equals(patch.path("metadata").path("name"))) {
                return o;
            }
        }
        return null;
    }

    /** RFC 7386: objects merge recursively, a null deletes, anything else replaces. */
    static void mergePatch(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode value = f.getValue();
            if (value.isNull()) {
                target.remove(f.getKey());
            } else if (value.isObject() && target.path(f.getKey()).isObject()) {
                mergePatch((ObjectNode) target.get(f.getKey()), value);
            } else {
                target.set(f.getKey(), value.deepCopy());
            }
        }
    }
}
