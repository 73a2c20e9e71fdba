package dev.xerosync.writeback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A client of the write API and the query API of a local stack, as the product would call them. */
final class WriteBackApi {
  static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "NEEDS_ATTENTION");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Response(int status, JsonNode body, Map<String, java.util.List<String>> headers) {
    String operationId() {
      return body.path("operationId").asText();
    }
  }

  private final LocalStack stack;
  private final Map<String, String> keys = new ConcurrentHashMap<>();

  WriteBackApi(LocalStack stack) {
    this.stack = stack;
  }

  String key(String tenantId) {
    return keys.computeIfAbsent(tenantId, t -> stack.issueApiKey(t, "writeback-test").secret());
  }

  Response send(String method, String tenantId, String path, String body, String idempotencyKey) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/tenants/" + tenantId + path))
            .timeout(Duration.ofSeconds(30))
            .header("x-api-key", key(tenantId))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json =
          r.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body());
      return new Response(r.statusCode(), json, r.headers().map());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(String tenantId, String path) {
    return send("GET", tenantId, path, null, null);
  }

  /** Polls the operation until it is terminal. */
  JsonNode awaitTerminal(String tenantId, String operationId, Duration timeout) {
    return awaitTerminal(tenantId, operationId, timeout, Duration.ofMillis(20));
  }

  /** The same, polling every {@code every}. */
  JsonNode awaitTerminal(String tenantId, String operationId, Duration timeout, Duration every) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Response r = get(tenantId, "/operations/" + operationId);
      last = r.body();
      if (r.status() == 200 && TERMINAL.contains(last.path("state").asText())) {
        return last;
      }
      sleep(every.toMillis());
    }
    throw new AssertionError("operation " + operationId + " not terminal; last " + last);
  }

  /** Polls until the condition holds, or fails the test naming what it waited for. */
  static void await(java.util.function.BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      sleep(20);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
