package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.config.KafkaSettings;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.topic.Topics;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest of deploy/k8s validates against the Kubernetes JSON schemas (fabric8's, from its
 * model jars, made strict: unknown fields, wrong types and wrong apiVersion/kind fail, as with
 * kubeconform -strict; KEDA's ScaledObject against a schema written from its CRD), and the
 * manifests agree with each other and with the code: selectors, ports, probes, claims, config maps,
 * KEDA's topics and group, memory that fits the documented needs, non-root pods, /metrics never
 * routed to the outside.
 */
class DeployKubernetesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, String> DEFINITION =
      Map.of(
          "v1/Namespace", "kubernetes_core_Namespace",
          "v1/ConfigMap", "kubernetes_core_ConfigMap",
          "v1/Service", "kubernetes_core_Service",
          "v1/PersistentVolumeClaim", "kubernetes_core_PersistentVolumeClaim",
          "apps/v1/Deployment", "kubernetes_apps_Deployment",
          "batch/v1/Job", "kubernetes_batch_v1_Job",
          "policy/v1/PodDisruptionBudget", "kubernetes_policy_v1_PodDisruptionBudget",
          "networking.k8s.io/v1/NetworkPolicy", "kubernetes_networking_v1_NetworkPolicy",
          "networking.k8s.io/v1/Ingress", "kubernetes_networking_v1_Ingress");
  static ObjectNode definitions;
  static List<JsonNode> docs;

  @BeforeAll
  static void load() throws Exception {
    definitions = JsonNodeFactory.instance.objectNode();
    Enumeration<URL> schemas =
        DeployKubernetesTest.class.getClassLoader().getResources("schema/validation-schema.json");
    int n = 0;
    while (schemas.hasMoreElements()) {
      try (InputStream in = schemas.nextElement().openStream()) {
        JsonNode d = JSON.readTree(in);
        d.path("definitions")
            .fields()
            .forEachRemaining(e -> definitions.set(e.getKey(), e.getValue()));
        n++;
      }
    }
    assertTrue(n >= 5, "fabric8 schema jars on the test class path: " + n);
    strict(definitions);
    docs = new ArrayList<>();
    for (Path f : DeployFiles.kubernetesManifests()) {
      for (Map<String, Object> d : DeployFiles.yamlDocuments(f)) {
        ObjectNode node = JSON.valueToTree(d);
        node.put("__file", f.getFileName().toString());
        docs.add(node);
      }
    }
  }

  /**
   * Like kubeconform -strict: objects accept only their declared fields; apiVersion and kind only
   * their own value; int-or-string and quantities as the API server takes them.
   */
  static void strict(ObjectNode defs) {
    defs.set(
        "kubernetes_apimachinery_pkg_util_intstr_IntOrString",
        JSON.createObjectNode().set("type", JSON.createArrayNode().add("integer").add("string")));
    ObjectNode quantity = JSON.createObjectNode();
    quantity.set("type", JSON.createArrayNode().add("string").add("number"));
    quantity.put(
        "pattern",
        "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$");
    defs.set("k8s_io_apimachinery_pkg_api_resource_Quantity", quantity);
    defs.fields().forEachRemaining(e -> tighten(e.getValue()));
  }

  private static void tighten(JsonNode node) {
    if (!(node instanceof ObjectNode o)) {
      if (node instanceof ArrayNode a) {
        a.forEach(DeployKubernetesTest::tighten);
      }
      return;
    }
    for (String javaOnly :
        List.of(
            "existingJavaType",
            "javaType",
            "javaInterfaces",
            "javaOmitEmpty",
            "serializer",
            "deserializer")) {
      o.remove(javaOnly);
    }
    if (o.has("properties") && o.path("additionalProperties").isBoolean()) {
      o.put("additionalProperties", false);
    }
    JsonNode props = o.get("properties");
    if (props instanceof ObjectNode p) {
      ArrayNode required = JSON.createArrayNode();
      Iterator<Map.Entry<String, JsonNode>> it = p.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue() instanceof ObjectNode prop) {
          if (prop.path("required").isBoolean()) {
            if (prop.path("required").asBoolean()) {
              required.add(e.getKey());
            }
            prop.remove("required");
          }
          if ((e.getKey().equals("apiVersion") || e.getKey().equals("kind"))
              && prop.hasNonNull("default")) {
            prop.set("enum", JSON.createArrayNode().add(prop.get("default")));
          }
        }
      }
      if (!required.isEmpty()) {
        o.set("required", required);
      }
    }
    o.elements().forEachRemaining(DeployKubernetesTest::tighten);
  }

  static List<ValidationMessage> validate(JsonNode doc) throws Exception {
    return validate(doc, doc.path("apiVersion").asText() + "/" + doc.path("kind").asText());
  }

  /** Validates {@code doc} against the schema of {@code gvk} (apiVersion/kind). */
  static List<ValidationMessage> validate(JsonNode doc, String gvk) throws Exception {
    ObjectNode d = doc.deepCopy();
    d.remove("__file");
    JsonSchemaFactory f = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    JsonSchema schema;
    if (gvk.equals("keda.sh/v1alpha1/ScaledObject")) {
      try (InputStream in =
          DeployKubernetesTest.class.getResourceAsStream(
              "/schemas/keda-scaledobject-v1alpha1.json")) {
        schema = f.getSchema(JSON.readTree(in));
      }
    } else {
      String def = DEFINITION.get(gvk);
      assertNotNull(def, "no schema for " + gvk + " (" + doc.path("__file").asText() + ")");
      ObjectNode s = JSON.createObjectNode();
      s.put("$schema", "http://json-schema.org/draft-07/schema#");
      s.set("definitions", definitions);
      s.put("$ref", "#/definitions/" + def);
      schema = f.getSchema(s);
    }
    return new ArrayList<>(schema.validate(d));
  }

  @Test
  void everyManifestValidatesAgainstItsSchema() throws Exception {
    List<String> errors = new ArrayList<>();
    for (JsonNode d : docs) {
      for (ValidationMessage m : validate(d)) {
        errors.add(
            d.path("__file").asText() + " " + d.path("kind").asText() + ": " + m.getMessage());
      }
      assertFalse(d.path("metadata").path("name").asText().isEmpty(), "unnamed " + d);
    }
    assertTrue(errors.isEmpty(), String.join("\n", errors));
  }

  @Test
  void theValidatorCatchesMistakes() throws Exception {
    JsonNode worker = find("Deployment", "worker");
    ObjectNode typo = worker.deepCopy();
    ((ObjectNode) typo.path("spec")).put("replica", 2);
    assertFalse(validate(typo).isEmpty(), "an unknown field (replica) must fail");
    ObjectNode wrongType = worker.deepCopy();
    ((ObjectNode) wrongType.path("spec")).put("replicas", "two");
    assertFalse(validate(wrongType).isEmpty(), "a string replica count must fail");
    ObjectNode wrongApi = worker.deepCopy();
    wrongApi.put("apiVersion", "extensions/v1beta1");
    assertFalse(validate(wrongApi, "apps/v1/Deployment").isEmpty(), "a wrong apiVersion must fail");
    ObjectNode keda = find("ScaledObject", "worker-scaler").deepCopy();
    ((ObjectNode) keda.path("spec")).put("maxReplicas", 3);
    assertFalse(validate(keda).isEmpty(), "KEDA: unknown field must fail");
  }

  @Test
  void resourcesReferToEachOtherConsistently() {
    Map<String, JsonNode> deployments = byKind("Deployment");
    assertTrue(deployments.keySet().containsAll(List.of("dispatcher", "worker")));
    for (JsonNode dep : deployments.values()) {
      JsonNode labels = dep.path("spec").path("template").path("metadata").path("labels");
      dep.path("spec")
          .path("selector")
          .path("matchLabels")
          .fields()
          .forEachRemaining(
              e -> assertEquals(e.getValue(), labels.get(e.getKey()), "selector of " + dep));
      JsonNode pod = dep.path("spec").path("template").path("spec");
      assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), "non-root " + dep);
    }
    for (String kind : List.of("PodDisruptionBudget", "Service")) {
      for (JsonNode r : byKind(kind).values()) {
        JsonNode sel =
            kind.equals("Service")
                ? r.path("spec").path("selector")
                : r.path("spec").path("selector").path("matchLabels");
        assertTrue(
            deployments.values().stream().anyMatch(d -> matches(sel, d)),
            kind + " " + r.path("metadata").path("name").asText() + " selects no Deployment");
      }
    }
    assertTrue(byKind("PodDisruptionBudget").keySet().containsAll(List.of("dispatcher", "worker")));
    Set<String> claims = byKind("PersistentVolumeClaim").keySet();
    Set<String> maps = byKind("ConfigMap").keySet();
    for (JsonNode d : docs) {
      for (JsonNode c : d.findValues("claimName")) {
        assertTrue(claims.contains(c.asText()), "claim " + c + " is defined");
      }
      for (JsonNode c : d.findValues("configMapRef")) {
        assertTrue(maps.contains(c.path("name").asText()), "config map " + c + " is defined");
      }
    }
    String config = read("10-config.yaml");
    assertTrue(config.contains("create secret generic farm-secrets"), "how to make farm-secrets");
  }

  @Test
  void portsProbesAndKedaMatchTheCode() {
    JsonNode dispatcher = container(find("Deployment", "dispatcher"));
    int api = Integer.parseInt(DispatcherConfig.PORT.defaultValue());
    assertEquals(api, dispatcher.path("ports").path(0).path("containerPort").asInt());
    assertEquals(
        "/readyz", dispatcher.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals(
        "/healthz", dispatcher.path("livenessProbe").path("httpGet").path("path").asText());
    JsonNode worker = container(find("Deployment", "worker"));
    int metrics = Integer.parseInt(env(worker, WorkerConfig.METRICS_PORT.envVar()));
    assertEquals(metrics, worker.path("ports").path(0).path("containerPort").asInt());
    assertEquals("/health", worker.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals(
        String.valueOf(metrics),
        find("Deployment", "worker")
            .path("spec")
            .path("template")
            .path("metadata")
            .path("annotations")
            .path("prometheus.io/port")
            .asText());
    assertEquals(1, worker.path("resources").path("limits").path("nvidia.com/gpu").asInt());
    assertEquals("auto", env(worker, WorkerConfig.PRECISION.envVar()));
    for (String perPod : List.of("requests", "limits")) {
      JsonNode gpus = worker.path("resources").path(perPod).path("nvidia.com/gpu");
      assertTrue(gpus.isMissingNode() || gpus.asInt() == 1, perPod + ": one GPU per pod");
    }
    assertFalse(
        worker.path("env").findValuesAsText("name").contains("NVIDIA_VISIBLE_DEVICES"),
        "the device plugin picks the pod's GPU; a fixed NVIDIA_VISIBLE_DEVICES would share one");
    assertEquals("/models", env(worker, WorkerConfig.MODELS_DIR.envVar()));

    List<Integer> policyPorts = new ArrayList<>();
    byKind("NetworkPolicy")
        .values()
        .forEach(p -> p.findValues("port").forEach(v -> policyPorts.add(v.asInt())));
    assertTrue(policyPorts.containsAll(List.of(api, metrics)), policyPorts.toString());
    JsonNode ingress = find("Ingress", "api");
    for (JsonNode path : ingress.findValues("path")) {
      assertFalse(path.asText().startsWith("/metrics"), "/metrics must not be routed out");
      assertTrue(Set.of("/v1", "/openapi.json", "/healthz").contains(path.asText()), path.asText());
    }
    assertTrue(byKind("Service").containsKey(ingress.findValue("service").path("name").asText()));

    JsonNode keda = find("ScaledObject", "worker-scaler");
    assertEquals("worker", keda.path("spec").path("scaleTargetRef").path("name").asText());
    String prefix =
        find("ConfigMap", "farm-config").path("data").path("FARM_KAFKA_TOPIC_PREFIX").asText();
    String servers =
        find("ConfigMap", "farm-config").path("data").path("FARM_KAFKA_BOOTSTRAP_SERVERS").asText();
    Topics topics = Topics.withPrefix(prefix);
    List<String> kedaTopics = new ArrayList<>();
    for (JsonNode t : keda.path("spec").path("triggers")) {
      assertEquals(servers, t.path("metadata").path("bootstrapServers").asText());
      assertEquals(
          WorkerConfig.GROUP.defaultValue(), t.path("metadata").path("consumerGroup").asText());
      kedaTopics.add(t.path("metadata").path("topic").asText());
    }
    assertEquals(List.of(topics.jobs(), topics.retries()), kedaTopics);
    assertEquals(KafkaSettings.TOPIC_PREFIX.defaultValue(), prefix);
  }

  @Test
  void memoryFitsTheHeapAndTheDocumentedWeights() throws Exception {
    long dispatcherHeap = xmx("Dockerfile.dispatcher");
    long workerHeap = xmx("Dockerfile.worker");
    JsonNode d = container(find("Deployment", "dispatcher")).path("resources");
    JsonNode w = container(find("Deployment", "worker")).path("resources");
    long gib = 1L << 30;
    assertTrue(
        bytes(d.path("limits").path("memory").asText()) >= dispatcherHeap + gib / 2,
        "dispatcher limit");
    assertTrue(
        bytes(d.path("requests").path("memory").asText()) >= dispatcherHeap, "dispatcher request");
    // README "Real weights": lite holds ~11 GB of fp32 weights in host memory while loading
    assertTrue(
        bytes(w.path("limits").path("memory").asText()) >= workerHeap + 11 * gib, "worker limit");
    assertTrue(
        bytes(w.path("requests").path("memory").asText())
            <= bytes(w.path("limits").path("memory").asText()));
  }

  static long xmx(String dockerfile) throws Exception {
    Matcher m =
        Pattern.compile("-Xmx(\\d+)([gm])")
            .matcher(Files.readString(DeployFiles.ROOT.resolve("deploy/docker/" + dockerfile)));
    assertTrue(m.find(), dockerfile + " sets no -Xmx");
    return Long.parseLong(m.group(1)) << (m.group(2).equals("g") ? 30 : 20);
  }

  static long bytes(String q) {
    Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi)?").matcher(q);
    assertTrue(m.matches(), q);
    long n = Long.parseLong(m.group(1));
    return m.group(2) == null
        ? n
        : n << (m.group(2).equals("Ki") ? 10 : m.group(2).equals("Mi") ? 20 : 30);
  }

  static boolean matches(JsonNode selector, JsonNode deployment) {
    JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
    Iterator<Map.Entry<String, JsonNode>> it = selector.fields();
    boolean any = false;
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      any = true;
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return any;
  }

  static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.path("value").asText();
      }
    }
    throw new AssertionError(name + " not set in " + container.path("name"));
  }

  static JsonNode container(JsonNode deployment) {
    return deployment.path("spec").path("template").path("spec").path("containers").path(0);
  }

  static Map<String, JsonNode> byKind(String kind) {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode d : docs) {
      if (d.path("kind").asText().equals(kind)) {
        out.put(d.path("metadata").path("name").asText(), d);
      }
    }
    return out;
  }

  static JsonNode find(String kind, String name) {
    JsonNode n = byKind(kind).get(name);
    assertNotNull(n, kind + "/" + name);
    return n;
  }

  static String read(String file) {
    try {
      return Files.readString(DeployFiles.ROOT.resolve("deploy/k8s/" + file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
