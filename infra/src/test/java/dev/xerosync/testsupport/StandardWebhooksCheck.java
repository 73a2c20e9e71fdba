package dev.xerosync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.xerosync.common.Json;
import dev.xerosync.notify.WebhookSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Verifies deliveries with an off-the-shelf Standard Webhooks library, as a consumer would: npm's
 * {@code standardwebhooks} (pinned in infra/src/test/standard-webhooks/package-lock.json), run by
 * {@code node}. Our own {@link WebhookSignature#verify} is the receiver's first check; this one
 * proves a library we did not write accepts the same requests. Without node the test is skipped,
 * unless {@code STANDARD_WEBHOOKS_REQUIRED} is set (CI), where that is a failure.
 */
public final class StandardWebhooksCheck {
  private static final Path DIR = findDir();

  private StandardWebhooksCheck() {}

  /** Skips the calling test when node (or npm, to install the library) is missing here. */
  public static void assumeAvailable() {
    String missing = null;
    if (!onPath("node")) {
      missing = "node is not installed";
    } else if (!Files.isDirectory(DIR.resolve("node_modules/standardwebhooks")) && !onPath("npm")) {
      missing = "npm is not installed to fetch standardwebhooks";
    }
    if (missing != null) {
      if (System.getenv("STANDARD_WEBHOOKS_REQUIRED") != null) {
        throw new AssertionError(missing + ", and STANDARD_WEBHOOKS_REQUIRED is set");
      }
      Assumptions.abort(missing);
    }
  }

  /** The ids of the deliveries the library refused, with its reason; empty when it accepted all. */
  public static List<String> refused(String secret, List<EventReceiver.Received> deliveries)
      throws IOException, InterruptedException {
    install();
    ArrayNode input = Json.MAPPER.createArrayNode();
    for (EventReceiver.Received r : deliveries) {
      var d = input.addObject().put("secret", secret).put("body", r.raw());
      d.putObject("headers")
          .put(WebhookSignature.ID, r.id())
          .put(WebhookSignature.TIMESTAMP, Long.toString(r.timestamp()))
          .put(WebhookSignature.SIGNATURE, r.signature());
    }
    String out = run(Json.MAPPER.writeValueAsString(input), "node", "verify.cjs");
    JsonNode results = Json.MAPPER.readTree(out);
    if (!results.isArray() || results.size() != deliveries.size()) {
      throw new AssertionError("verify.cjs answered " + out);
    }
    List<String> refused = new ArrayList<>();
    for (JsonNode r : results) {
      if (!r.path("ok").asBoolean()) {
        refused.add(r.path("id").asText() + ": " + r.path("error").asText());
      }
    }
    return refused;
  }

  private static synchronized void install() throws IOException, InterruptedException {
    if (!Files.isDirectory(DIR.resolve("node_modules/standardwebhooks"))) {
      run("", "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    }
  }

  private static String run(String stdin, String... command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .directory(DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " failed in " + DIR + ": " + out);
    }
    return out;
  }

  private static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  private static Path findDir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path dir = p.resolve("infra/src/test/standard-webhooks");
      if (Files.isRegularFile(dir.resolve("verify.cjs"))) {
        return dir;
      }
    }
    throw new IllegalStateException("infra/src/test/standard-webhooks not found above " + here);
  }
}
