package io.settle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.DisallowUnknownKeywordFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates custom resources the way the Kubernetes API server does on {@code kubectl apply}: the
 * CRD's {@code spec.versions[name=v1beta1].schema.openAPIV3Schema}, read as JSON Schema.
 *
 * <p>The OpenAPI v3 dialect of CRDs differs from JSON Schema in a few keywords, translated here:
 *
 * <ul>
 *   <li>{@code nullable: true} adds {@code "null"} to the node's type;
 *   <li>{@code x-kubernetes-preserve-unknown-fields: true} lets the node hold anything;
 *   <li>{@code x-kubernetes-int-or-string: true} is an {@code anyOf} of integer and string (the
 *       generator writes that {@code anyOf} too; it is added when missing);
 *   <li>the other {@code x-kubernetes-*} keywords (list types, map keys, embedded resources) say
 *       how the server merges and stores, not what is valid, and are dropped.
 * </ul>
 *
 * <p>An object schema that lists its properties refuses any other field: the server would prune an
 * unknown field, and {@code kubectl apply} (strict field validation, its default) refuses it, so a
 * misspelt field is an error here too. The resource's own apiVersion, kind and metadata (name,
 * namespace, labels, annotations) are checked as the server checks them. Unknown JSON Schema
 * keywords are refused, so a CRD keyword this translation does not know fails loudly.
 */
final class CrdSchemas {
    private CrdSchemas() {}

    static final String GROUP_VERSION = "flink.apache.org/v1beta1";
    static final String VERSION = "v1beta1";

    private static final Map<String, String> CRD_FILES =
            Map.of(
                    "FlinkDeployment", "flinkdeployments.flink.apache.org-v1.yml",
                    "FlinkSessionJob", "flinksessionjobs.flink.apache.org-v1.yml",
                    "FlinkStateSnapshot", "flinkstatesnapshots.flink.apache.org-v1.yml");

    /** DNS-1123 subdomain: what the server accepts as a resource name. */
    static final String DNS_1123_SUBDOMAIN =
            "^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    static boolean isOperatorKind(String kind) {
        return CRD_FILES.containsKey(kind);
    }

    /** The validation errors of {@code resource} against its kind's CRD; empty when it is valid. */
    static Set<String> errors(JsonNode resource) {
        String kind = resource.path("kind").asText();
        if (!isOperatorKind(kind)) {
            throw new IllegalArgumentException("no operator CRD for kind '" + kind + "'");
        }
        Set<String> errors = new TreeSet<>();
        for (ValidationMessage m : schema(kind).validate(resource)) {
            errors.add(m.getMessage());
        }
        return errors;
    }

    static JsonSchema schema(String kind) {
        return SCHEMAS.computeIfAbsent(kind, CrdSchemas::load);
    }

    private static JsonSchema load(String kind) {
        Path file = Repo.CRDS.resolve(CRD_FILES.get(kind));
        JsonNode crd = Repo.document(file);
        if (!crd.path("kind").asText().equals("CustomResourceDefinition")
                || !crd.path("spec").path("names").path("kind").asText().equals(kind)) {
            throw new AssertionError(file + " is not the CRD of " + kind);
        }
        JsonNode version = null;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(VERSION)) {
                version = v;
            }
        }
        if (version == null || !version.path("served").asBoolean()) {
            throw new AssertionError(file + " serves no version " + VERSION);
        }
        ObjectNode schema = toJsonSchema(version.path("schema").path("openAPIV3Schema"));
        addResourceEnvelope(schema, kind);
        JsonMetaSchema strict =
                JsonMetaSchema.builder(JsonMetaSchema.getV4())
                        .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
                        .build();
        JsonSchemaFactory factory =
                JsonSchemaFactory.getInstance(
                        SpecVersion.VersionFlag.V4, b -> b.metaSchema(strict));
        JsonSchema jsonSchema = factory.getSchema(schema);
        jsonSchema.initializeValidators();
        return jsonSchema;
    }

    /** The OpenAPI v3 schema of a CRD as a JSON Schema (draft 4), translated as the class says. */
    static ObjectNode toJsonSchema(JsonNode openApi) {
        if (!openApi.isObject()) {
            throw new IllegalArgumentException("a schema must be an object, got " + openApi);
        }
        ObjectNode out = NODES.objectNode();
        boolean preserveUnknown = openApi.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        boolean intOrString = openApi.path("x-kubernetes-int-or-string").asBoolean();
        Iterator<Map.Entry<String, JsonNode>> fields = openApi.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            JsonNode value = f.getValue();
            if (key.startsWith("x-kubernetes-") || key.equals("nullable")) {
                continue;
            }
            switch (key) {
                case "properties":
                    ObjectNode props = NODES.objectNode();
                    value.fields()
                            .forEachRemaining(
                                    p -> props.set(p.getKey(), toJsonSchema(p.getValue())));
                    out.set(key, props);
                    break;
                case "items":
                case "not":
                    out.set(key, toJsonSchema(value));
                    break;
                case "additionalProperties":
                    out.set(key, value.isBoolean() ? value : toJsonSchema(value));
                    break;
                case "anyOf":
                case "allOf":
                case "oneOf":
                    ArrayNode alternatives = NODES.arrayNode();
                    value.forEach(a -> alternatives.add(toJsonSchema(a)));
                    out.set(key, alternatives);
                    break;
                default:
                    out.set(key, value.deepCopy());
            }
        }
        if (intOrString && !out.has("anyOf")) {
            ArrayNode anyOf = out.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if (openApi.path("nullable").asBoolean() && out.has("type")) {
            ArrayNode types = NODES.arrayNode();
            types.add(out.get("type").asText());
            types.add("null");
            out.set("type", types);
        }
        boolean isObject = out.has("properties") || "object".equals(out.path("type").asText(null));
        if (isObject && !preserveUnknown && !out.has("additionalProperties")) {
            // The server prunes what the schema does not list; kubectl apply refuses it.
            out.put("additionalProperties", false);
        }
        if (preserveUnknown) {
            out.remove("additionalProperties");
        }
        return out;
    }

    /** apiVersion, kind and metadata, which the CRD schema leaves to the server. */
    private static void addResourceEnvelope(ObjectNode schema, String kind) {
        ObjectNode props = (ObjectNode) schema.get("properties");
        props.putObject("apiVersion").put("type", "string").putArray("enum").add(GROUP_VERSION);
        props.putObject("kind").put("type", "string").putArray("enum").add(kind);
        ObjectNode metadata = props.putObject("metadata");
        metadata.put("type", "object");
        metadata.putArray("required").add("name");
        ObjectNode meta = metadata.putObject("properties");
        meta.putObject("name").put("type", "string").put("pattern", DNS_1123_SUBDOMAIN);
        meta.putObject("namespace").put("type", "string").put("pattern", DNS_1123_SUBDOMAIN);
        for (String map : List.of("labels", "annotations")) {
            ObjectNode m = meta.putObject(map);
            m.put("type", "object");
            m.putObject("additionalProperties").put("type", "string");
        }
        ArrayNode required = schema.putArray("required");
        for (String r : new ArrayList<>(List.of("apiVersion", "kind", "metadata"))) {
            required.add(r);
        }
    }
}
