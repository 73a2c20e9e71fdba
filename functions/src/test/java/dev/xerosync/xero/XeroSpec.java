package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Xero's published Accounting API spec, read from shared/ beside the repository (never copied in).
 */
public final class XeroSpec {
  private static JsonNode accounting;

  private XeroSpec() {}

  public static synchronized JsonNode accounting() throws IOException {
    if (accounting == null) {
      accounting =
          new ObjectMapper(new YAMLFactory()).readTree(locate("xero_accounting.yaml").toFile());
    }
    return accounting;
  }

  public static Path locate(String file) {
    String override = System.getenv("XERO_OPENAPI_DIR");
    if (override != null) {
      return Path.of(override, file);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/xero-openapi").resolve(file);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Xero's OpenAPI spec "
            + file
            + " was not found in shared/xero-openapi above "
            + Path.of("").toAbsolutePath()
            + "; set XERO_OPENAPI_DIR");
  }

  /** The example of an operation's 200 response, e.g. ("/Invoices", "get"). */
  public static JsonNode example(String path, String method) throws IOException {
    JsonNode example =
        accounting()
            .path("paths")
            .path(path)
            .path(method)
            .path("responses")
            .path("200")
            .path("content")
            .path("application/json")
            .path("example");
    if (example.isMissingNode()) {
      throw new IllegalStateException("spec has no 200 example for " + method + " " + path);
    }
    return example;
  }
}
