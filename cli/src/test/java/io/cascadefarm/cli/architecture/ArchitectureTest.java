package io.cascadefarm.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the modules keep, as ArchUnit rules over the main classes of every module (the CLI
 * sees them all). Test classes, from {@code target/test-classes} or a {@code -tests.jar}, are not
 * imported: the rules are about what ships. Runs in {@code ./mvnw verify} with the CLI's tests.
 */
class ArchitectureTest {
  private static final String FARM = "io.cascadefarm";
  private static final String[] INFRASTRUCTURE = {
    "org.apache.kafka..",
    "io.vertx..",
    "java.sql..",
    "javax.sql..",
    "software.amazon..",
    "io.minio..",
    "org.postgresql..",
    "org.flywaydb..",
    "com.zaxxer.."
  };
  private static final String TOOLS = "io.cascadefarm.cascade.tools..";

  /** The classes of the cascade module: its jar, or its classes folder in a reactor build. */
  private static final DescribedPredicate<JavaClass> CASCADE_JAR =
      DescribedPredicate.describe(
          "come from the cascade module",
          c ->
              c.getSource()
                  .map(source -> source.getUri().toString())
                  .filter(
                      uri ->
                          uri.contains("/farm-cascade-0")
                              || uri.contains("/cascade/target/classes/"))
                  .isPresent());

  private static JavaClasses main;

  /** Main classes only: no test-classes folder and no test-jar. */
  private static final class MainClassesOnly implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("/test-classes/") && !location.contains("-tests.jar");
    }
  }

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(new MainClassesOnly()).importPackages(FARM);
    // a rule over an empty import would pass whatever the code does
    assertTrue(main.contain("io.cascadefarm.cascade.pipeline.CascadePipeline"), "cascade imported");
    assertTrue(main.contain("io.cascadefarm.db.JdbcJobStore"), "db imported");
    assertTrue(main.contain("io.cascadefarm.dispatcher.http.JobRoutes"), "dispatcher");
  }

  @Test
  void cascadeKnowsNoFarmModule() {
    noClasses()
        .that()
        .resideInAPackage("io.cascadefarm.cascade..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.cascadefarm.common..",
            "io.cascadefarm.db..",
            "io.cascadefarm.infra..",
            "io.cascadefarm.worker..",
            "io.cascadefarm.dispatcher..",
            "io.cascadefarm.embedded..",
            "io.cascadefarm.cli..")
        .because("the Stable Cascade library is usable without the farm")
        .check(main);
  }

  @Test
  void cascadeAndCommonKnowNothingOfKafkaHttpOrSql() {
    noClasses()
        .that()
        .resideInAnyPackage("io.cascadefarm.cascade..", "io.cascadefarm.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(INFRASTRUCTURE)
        .because("the domain and the library are free of infrastructure")
        .check(main);
  }

  @Test
  void commonDependsOnNoOtherFarmModule() {
    noClasses()
        .that()
        .resideInAPackage("io.cascadefarm.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.cascadefarm.cascade..",
            "io.cascadefarm.codec..",
            "io.cascadefarm.db..",
            "io.cascadefarm.infra..",
            "io.cascadefarm.worker..",
            "io.cascadefarm.dispatcher..",
            "io.cascadefarm.embedded..",
            "io.cascadefarm.cli..")
        .because("common is the bottom of the one-way arrows")
        .check(main);
  }

  @Test
  void workerAndDispatcherDoNotKnowEachOther() {
    noClasses()
        .that()
        .resideInAPackage("io.cascadefarm.worker..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.cascadefarm.dispatcher..")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("io.cascadefarm.dispatcher..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.cascadefarm.worker..")
        .check(main);
  }

  @Test
  void dispatcherHttpGoesThroughTheServicesToTheStore() {
    noClasses()
        .that()
        .resideInAPackage("io.cascadefarm.dispatcher.http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.cascadefarm.db..", "java.sql..", "javax.sql..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.cascadefarm.common.port.JobStore")
        .because("http -> service -> store: routes never touch the store")
        .check(main);
  }

  @Test
  void onlyTheImageCodecsUseImageIo() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.cascadefarm.codec.image..")
        .and()
        .doNotHaveSimpleName("PngCodec")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("javax.imageio..")
        .because("untrusted images are decoded in one place, with header checks first")
        .check(main);
  }

  @Test
  void noTestOnlyCodeInMain() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.junit..", "org.testcontainers..", "org.mockito..")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameStartingWith("Mock")
        .check(main);
    classes()
        .should()
        .haveSimpleNameNotEndingWith("Test")
        .andShould()
        .haveSimpleNameNotStartingWith("Fake")
        .andShould()
        .haveSimpleNameNotStartingWith("TestServices")
        .andShould()
        .haveSimpleNameNotStartingWith("Poison")
        .check(main);
  }

  @Test
  void theNetworksAndThePipelineKnowNoParityHarnessOrBench() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.cascadefarm.cascade.net..",
            "io.cascadefarm.cascade.nn..",
            "io.cascadefarm.cascade.diffusion..",
            "io.cascadefarm.cascade.pipeline..",
            "io.cascadefarm.cascade.model..",
            "io.cascadefarm.cascade.text..",
            "io.cascadefarm.cascade.io..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.cascadefarm.cascade.tools.parity..", "io.cascadefarm.cascade.tools.bench..")
        .because("the parity adapters adapt the networks, not the other way round")
        .check(main);
  }

  @Test
  void theCascadeLibraryKnowsNothingOfItsTools() {
    noClasses()
        .that()
        .resideInAPackage("io.cascadefarm.cascade..")
        .and()
        .resideOutsideOfPackage(TOOLS)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(TOOLS)
        .because("cascade-tools (parity harness, benches, self-check) depends on cascade, not back")
        .check(main);
  }

  @Test
  void theCascadeJarShipsNoParityHarnessBenchOrSelfCheck() {
    // fails on an empty selection too (ArchUnit's failOnEmptyShould), so the jar must be found
    classes()
        .that(CASCADE_JAR)
        .should()
        .resideOutsideOfPackages(
            TOOLS,
            "io.cascadefarm.cascade.parity..",
            "io.cascadefarm.cascade.bench..",
            "io.cascadefarm.cascade.numerics..")
        .because("the harness and the benches live in the cascade-tools module")
        .check(main);
  }
}
