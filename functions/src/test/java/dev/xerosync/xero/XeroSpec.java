package dev.xerosync.xero;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Xero's published Accounting API spec in tests. The response examples the tests parse are kept in
 * the repository (src/test/resources/xero-spec-examples, whose SOURCE.md names each one's origin),
 * so a fresh clone tests without anything beside it. The whole spec is never copied in: a test that
 * needs it {@link #locate}s it, and is skipped where it is absent, except under {@code
 * XERO_OPENAPI_REQUIRED=1} (set by .ci/run), where its absence fails the test.
 */
public final class XeroSpec {
  private static final String REQUIRED = "XERO_OPENAPI_REQUIRED";
  private static final String EXAMPLES = "xero-spec-examples/";

  // Numbers as the spec writes them (40.00, not 4E+1), so a fixture compares equal to its source.
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  private static final ObjectMapper EXACT_JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private static JsonNode accounting;
  private static boolean toldSkipped;

  private XeroSpec() {}

  /**
   * The example of an operation's 200 response, e.g. ("/Invoices", "get"), from the copy kept in
   * the repository, read by the functions' own JSON mapper as Xero's JSON would be.
   */
  public static JsonNode example(String path, String method) throws IOException {
    return Json.MAPPER.readTree(fixture(path, method));
  }

  /** The repository's copy of an example, with numbers exactly as written. */
  static JsonNode fixtureExactly(String path, String method) throws IOException {
    return EXACT_JSON.readTree(fixture(path, method));
  }

  /** The example as the whole spec has it (needs the spec; see {@link #locate}). */
  static JsonNode specExample(String path, String method) {
    return accounting()
        .path("paths")
        .path(path)
        .path(method)
        .path("responses")
        .path("200")
        .path("content")
        .path("application/json")
        .path("example");
  }

  /** Fixture file names: "get" + "/Invoices/{InvoiceID}" is get-Invoices-InvoiceID.json. */
  static String fixtureName(String path, String method) {
    return method + path.replaceAll("[{}]", "").replace('/', '-') + ".json";
  }

  private static InputStream fixture(String path, String method) {
    var name = EXAMPLES + fixtureName(path, method);
    var in = XeroSpec.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("No fixture " + name + " (see " + EXAMPLES + "SOURCE.md)");
    }
    return in;
  }

  static synchronized JsonNode accounting() {
    if (accounting == null) {
      try {
        accounting = YAML.readTree(locate("xero_accounting.yaml").toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return accounting;
  }

  /**
   * A file of Xero's spec (xero_accounting.yaml, xero-identity.yaml, ...): from {@code
   * XERO_OPENAPI_DIR}, or else from shared/xero-openapi beside the repository, as CI lays it out.
   * Where neither has it, the calling test is skipped (one line says so, once per JVM), or fails
   * under {@code XERO_OPENAPI_REQUIRED=1}. A class whose setup needs the spec says so with
   * {@code @ExtendWith(XeroSpec.Needed.class)}, so that it is reported skipped rather than empty.
   */
  public static Path locate(String file) {
    Path spec = path(file);
    if (Files.isRegularFile(spec)) {
      return spec;
    }
    return Assumptions.abort(missing(spec));
  }

  /** Runs the annotated class only where the whole spec is present (see {@link #locate}). */
  public static final class Needed implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Path spec = path("xero_accounting.yaml");
      return Files.isRegularFile(spec)
          ? ConditionEvaluationResult.enabled("Xero's spec is at " + spec)
          : ConditionEvaluationResult.disabled(missing(spec));
    }
  }

  private static Path path(String file) {
    String override = System.getenv("XERO_OPENAPI_DIR");
    Path dir =
        override != null && !override.isBlank()
            ? Path.of(override)
            : repositoryRoot().resolveSibling("shared").resolve("xero-openapi");
    return dir.resolve(file).toAbsolutePath().normalize();
  }

  /** Why a test cannot run; fails instead under XERO_OPENAPI_REQUIRED=1. */
  private static synchronized String missing(Path spec) {
    String why =
        "Xero's OpenAPI spec "
            + spec
            + " is missing (set XERO_OPENAPI_DIR to a clone of XeroAPI/Xero-OpenAPI)";
    if ("1".equals(System.getenv(REQUIRED))) {
      throw new IllegalStateException(why + "; " + REQUIRED + "=1 requires it");
    }
    if (!toldSkipped) {
      toldSkipped = true;
      System.out.println("Skipped the tests that need the whole spec: " + why);
    }
    return why;
  }

  /** Tests run from a module's directory; the repository root is where template.yaml is. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("template.yaml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("No template.yaml above " + Path.of("").toAbsolutePath());
  }
}
