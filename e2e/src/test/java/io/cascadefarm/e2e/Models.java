package io.cascadefarm.e2e;

import java.util.Map;

/** Where the tests' farms keep model files: the tiny weights are generated under target/. */
final class Models {
  static final String DIR_KEY = "farm.models.dir";
  static final String DIR = "target/models";
  static final Map<String, String> TEST_SETTINGS = Map.of(DIR_KEY, DIR);

  private Models() {}
}
