package io.cascadefarm.deploy;

import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** YAML text (e.g. {@code docker-compose config} output) to a tree. */
final class DeployFilesYaml {
  private DeployFilesYaml() {}

  static Map<String, Object> parse(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(100);
    return new Yaml(options).load(text);
  }
}
