package io.cascadefarm.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reads the deploy files of the repository and walks their YAML trees. */
final class DeployFiles {
  static final Path ROOT = locateRoot();

  private DeployFiles() {}

  /** Every YAML document of a file (a manifest may hold several). */
  static List<Map<String, Object>> yamlDocuments(Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(100);
    List<Map<String, Object>> docs = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Object doc : new Yaml(options).loadAll(in)) {
        if (doc != null) {
          @SuppressWarnings("unchecked")
          Map<String, Object> map = (Map<String, Object>) doc;
          docs.add(map);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  static List<Path> kubernetesManifests() {
    try (Stream<Path> files = Files.list(ROOT.resolve("deploy/k8s"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every map key and every {@code name:} value anywhere in the tree that starts with FARM_. */
  static Set<String> farmEnvNames(Object node) {
    Set<String> out = new TreeSet<>();
    collect(node, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void collect(Object node, Set<String> out) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (key.startsWith("FARM_")) {
          out.add(key);
        }
        if (key.equals("name") && String.valueOf(e.getValue()).startsWith("FARM_")) {
          out.add(String.valueOf(e.getValue()));
        }
        collect(e.getValue(), out);
      }
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collect(item, out));
    }
  }

  private static Path locateRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docker-compose.yml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("docker-compose.yml not found above the working directory");
    }
    return p;
  }
}
