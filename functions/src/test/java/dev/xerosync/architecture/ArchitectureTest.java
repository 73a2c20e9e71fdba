package dev.xerosync.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.xerosync.common.AwsClients;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The package rules of functions/ (docs/code-map.md), checked on the compiled classes: breaking one
 * fails the build.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.xerosync.";

  /** Entry points: what Lambda calls. Nothing imports them, and they never import each other. */
  private static final List<String> ENTRY =
      List.of("webhook", "sync", "query", "connect", "panel", "writeback", "events");

  /** What each package may use besides itself; everything of ours not listed is forbidden. */
  private static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

  static {
    MAY_USE.put("webhook", Set.of("queue", "common"));
    // The entry points build their own collaborators (one wiring each), hence tokens and xero.
    MAY_USE.put(
        "sync", Set.of("syncengine", "queue", "notify", "store", "tokens", "xero", "common"));
    MAY_USE.put("query", Set.of("store", "auth", "xero", "common"));
    MAY_USE.put(
        "connect",
        Set.of("syncengine", "tokens", "store", "queue", "notify", "auth", "xero", "common"));
    // The panel's documents (online invoice, PDF) come from Xero through the tenant's tokens.
    MAY_USE.put("panel", Set.of("store", "auth", "tokens", "xero", "common"));
    MAY_USE.put("events", Set.of("notify", "store", "queue", "auth", "common"));
    // The write-back entry builds its wiring like the sync's; syncengine only for the shared rate
    // budget the writes take from.
    MAY_USE.put(
        "writeback",
        Set.of(
            "outbox",
            "syncengine",
            "tokens",
            "store",
            "queue",
            "notify",
            "auth",
            "xero",
            "common"));
    MAY_USE.put("outbox", Set.of("xero", "tokens", "store", "common"));
    MAY_USE.put("syncengine", Set.of("xero", "tokens", "store", "queue", "common"));
    MAY_USE.put("notify", Set.of("store", "queue", "common"));
    MAY_USE.put("auth", Set.of("store", "common"));
    MAY_USE.put("tokens", Set.of("store", "xero", "common"));
    // The store keeps Xero's records as they are: it reads xero's model types, never its client.
    MAY_USE.put("store", Set.of("xero", "common"));
    MAY_USE.put("xero", Set.of("common"));
    MAY_USE.put("queue", Set.of("common"));
    MAY_USE.put("common", Set.of());
  }

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // The local DynamoDB stand-in (module localaws, test scope) is not deployed code.
          .withImportOption(location -> !location.contains("/dev/xerosync/infra/"))
          .importPackages("dev.xerosync");

  @Test
  void everyPackageIsInTheMap() {
    Set<String> packages = new TreeSet<>();
    for (JavaClass c : CLASSES) {
      packages.add(c.getPackageName().substring(ROOT.length()).split("\\.")[0]);
    }
    org.assertj.core.api.Assertions.assertThat(MAY_USE.keySet())
        .as("a new package needs its line in MAY_USE and in docs/code-map.md")
        .containsExactlyInAnyOrderElementsOf(packages);
  }

  @TestFactory
  List<DynamicTest> eachPackageUsesOnlyWhatItMay() {
    return MAY_USE.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey() + " uses only " + e.getValue(),
                    () -> {
                      String[] forbidden =
                          MAY_USE.keySet().stream()
                              .filter(p -> !p.equals(e.getKey()) && !e.getValue().contains(p))
                              .map(p -> ROOT + p + "..")
                              .toArray(String[]::new);
                      if (forbidden.length == 0) {
                        return;
                      }
                      noClasses()
                          .that()
                          .resideInAPackage(ROOT + e.getKey() + "..")
                          .should()
                          .dependOnClassesThat()
                          .resideInAnyPackage(forbidden)
                          .check(CLASSES);
                    }))
        .toList();
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("dev.xerosync.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void entryPointsNeverImportEachOther() {
    slices()
        .matching("dev.xerosync.(*)..")
        .that(describe("are entry points", slice -> ENTRY.contains(slice.getNamePart(1))))
        .should()
        .notDependOnEachOther()
        .check(CLASSES);
  }

  @Test
  void onlyTheStoreCallsDynamoDb() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + "store..")
        .and()
        .doNotHaveFullyQualifiedName(AwsClients.class.getName())
        .should()
        .callMethodWhere(target(owner(JavaClass.Predicates.assignableTo(DynamoDbClient.class))))
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("software.amazon.awssdk.services.dynamodb.model..")
        .because("persistence lives in store: every key, item and request")
        .check(CLASSES);
  }

  @Test
  void onlyXeroAndTokensSpeakHttpToXero() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + "xero..", ROOT + "tokens..", ROOT + "notify..")
        .should()
        .callMethodWhere(target(owner(JavaClass.Predicates.assignableTo(HttpClient.class))))
        .because(
            "Xero is reached through xero (Accounting API) and tokens (identity, connections);"
                + " notify POSTs notifications to the SaaS tenant's own URL, never to Xero")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage(ROOT + "notify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + "xero..", ROOT + "tokens..")
        .check(CLASSES);
  }

  /**
   * Thin, in a form a machine can check: a handler lives in an entry package, calls no AWS client
   * and no HTTP client itself (stores, queues and domain classes do), and nothing depends on it.
   */
  @Test
  void handlersAreThin() {
    classes()
        .that()
        .implement(RequestHandler.class)
        .should()
        .resideInAnyPackage(ENTRY.stream().map(p -> ROOT + p + "..").toArray(String[]::new))
        .check(CLASSES);
    noClasses()
        .that()
        .implement(RequestHandler.class)
        .should()
        .callMethodWhere(target(owner(JavaClass.Predicates.assignableTo(SdkClient.class))))
        .orShould()
        .callMethodWhere(target(owner(JavaClass.Predicates.assignableTo(HttpClient.class))))
        .because("a handler parses, calls one domain method, and answers")
        .check(CLASSES);
    noClasses()
        .that()
        .implement(RequestHandler.class)
        .should()
        .callMethodWhere(target(owner(JavaClass.Predicates.equivalentTo(AwsClients.class))))
        .orShould()
        .callConstructorWhere(target(owner(JavaClass.Predicates.assignableTo(HttpClient.class))))
        .because("a function's clients are built once, in its package's *Wiring")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.xerosync..")
        .and()
        .doNotImplement(RequestHandler.class)
        .and(
            describe(
                "are not nested in a handler",
                (JavaClass c) ->
                    c.getEnclosingClass()
                        .map(e -> !e.isAssignableTo(RequestHandler.class))
                        .orElse(true)))
        .should()
        .dependOnClassesThat(
            describe(
                "are handlers (other than their own nested classes)",
                (JavaClass c) -> c.isAssignableTo(RequestHandler.class)))
        .check(CLASSES);
  }
}
