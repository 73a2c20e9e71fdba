package dev.xerosync.infra.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * moto's server (Apache-2.0), started on a free loopback port for a differential test and stopped
 * after it, plus a raw JSON-protocol client that sends the same body to it and to a stand-in.
 */
final class MotoServer implements AutoCloseable {

  static final String INSTALL = "moto_server not found: pip install 'moto[server]'";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final URI endpoint;

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /**
   * Starts moto, or skips the calling test with one line saying how to install it; under {@code
   * MOTO_REQUIRED=1} (set by {@code .ci/run}) a missing moto fails instead, so CI cannot pass
   * without the conformance suites having run.
   */
  static MotoServer startOrSkip() {
    var executable = find();
    if (executable == null) {
      System.out.println(INSTALL);
      if ("1".equals(System.getenv("MOTO_REQUIRED"))) {
        throw new IllegalStateException(INSTALL + " (MOTO_REQUIRED=1)");
      }
      Assumptions.abort(INSTALL);
    }
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
    Process process;
    try {
      process =
          new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      System.out.println(INSTALL);
      Assumptions.abort(INSTALL + " (" + e.getMessage() + ")");
      throw new IllegalStateException(e);
    }
    var server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited with " + process.exitValue());
      }
      try (var probe = new Socket("127.0.0.1", port)) {
        return server;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    server.close();
    throw new IllegalStateException("moto_server did not listen on port " + port + " within 60 s");
  }

  private static String find() {
    var path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (var dir : path.split(File.pathSeparator)) {
      var candidate = new File(dir, "moto_server");
      if (candidate.canExecute()) {
        return candidate.getAbsolutePath();
      }
    }
    return null;
  }

  URI endpoint() {
    return endpoint;
  }

  /** A reply on the wire: HTTP status and JSON body. */
  record Reply(int status, JsonNode body) {
    /** The error code without its namespace, or null for a success. */
    String errorType() {
      if (status < 300 || body == null || !body.has("__type")) {
        return null;
      }
      var type = body.get("__type").asText();
      return type.substring(type.indexOf('#') + 1);
    }
  }

  /** POSTs an AWS JSON protocol request (no signature: neither server checks one). */
  static Reply call(URI endpoint, String contentType, String target, JsonNode body) {
    // moto picks the service from the credential scope of the Authorization header.
    var service = target.startsWith("DynamoDB") ? "dynamodb" : "secretsmanager";
    var request =
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .header("Content-Type", contentType)
            .header("X-Amz-Target", target)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=local/20261129/us-east-1/"
                    + service
                    + "/aws4_request,"
                    + " SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      var text = response.body();
      if (text.isBlank()) {
        return new Reply(response.statusCode(), null);
      }
      try {
        return new Reply(response.statusCode(), JSON.readTree(text));
      } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
        // moto answers an internal failure with an HTML page.
        return new Reply(response.statusCode(), JSON.getNodeFactory().textNode(text));
      }
    } catch (IOException e) {
      throw new IllegalStateException(target + " to " + endpoint + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
