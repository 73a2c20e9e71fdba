package dev.xerosync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.common.Json;
import dev.xerosync.notify.EventDelivery;
import dev.xerosync.notify.WebhookSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A subscriber's endpoint on loopback: verifies each request the Standard Webhooks way with the
 * subscription's secret, and can misbehave as a real one does: answer a share of requests with 500,
 * hang past the sender's timeout, or be down (503 to everything). Only a 2xx answered in time
 * counts as received; a request it refused or hung on is the sender's to retry.
 */
public final class EventReceiver implements AutoCloseable {
  /**
   * One accepted delivery: {@code raw} is the body as sent and {@code signature} the {@code
   * webhook-signature} header, so another verifier can check it again ({@link
   * StandardWebhooksCheck}).
   */
  public record Received(
      String id, JsonNode body, long atNanos, long timestamp, String raw, String signature) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> acceptedById = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger badSignatures = new AtomicInteger();
  private final Random random = new Random(27);
  private volatile String secret = "";
  private volatile double failRate;
  private volatile double hangRate;
  private volatile boolean down;
  private volatile Consumer<Received> onReceive = r -> {};

  public EventReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
  }

  /** The subscription's {@code whsec_} secret, as its creation answered it. */
  public EventReceiver secret(String whsec) {
    this.secret = whsec;
    return this;
  }

  /**
   * Answers {@code fail} of requests with 500 and hangs past the sender's timeout on {@code hang}.
   */
  public EventReceiver faults(double fail, double hang) {
    this.failRate = fail;
    this.hangRate = hang;
    return this;
  }

  /**
   * Subscribes this receiver to {@code types} through the API, as a SaaS admin would, and keeps the
   * secret the creation answered; returns the subscription's id.
   */
  public String subscribe(URI apiUrl, String adminKey, String saasTenantId, String... types)
      throws IOException, InterruptedException {
    String body =
        Json.MAPPER.writeValueAsString(Map.of("url", url().toString(), "types", List.of(types)));
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create(apiUrl + "/saas-tenants/" + saasTenantId + "/subscriptions"))
                    .header("x-admin-key", adminKey)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "subscribing answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode created = Json.MAPPER.readTree(response.body());
    secret(created.path("secret").asText());
    return created.path("id").asText();
  }

  /** The secret deliveries are verified with. */
  public String secret() {
    return secret;
  }

  public EventReceiver down(boolean down) {
    this.down = down;
    return this;
  }

  public EventReceiver onReceive(Consumer<Received> listener) {
    this.onReceive = listener;
    return this;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      requests.incrementAndGet();
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (down) {
        refused.incrementAndGet();
        x.sendResponseHeaders(503, -1);
        return;
      }
      double roll;
      synchronized (random) {
        roll = random.nextDouble();
      }
      if (roll < hangRate) {
        refused.incrementAndGet();
        sleep(EventDelivery.TIMEOUT.plusSeconds(1));
        x.sendResponseHeaders(200, -1);
        return;
      }
      if (roll < hangRate + failRate) {
        refused.incrementAndGet();
        x.sendResponseHeaders(500, -1);
        return;
      }
      String id = x.getRequestHeaders().getFirst(WebhookSignature.ID);
      String ts = x.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP);
      String sig = x.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE);
      long timestamp = ts == null ? 0 : Long.parseLong(ts);
      if (id == null
          || !WebhookSignature.verify(secret, id, timestamp, body, sig)
          || Math.abs(System.currentTimeMillis() / 1000 - timestamp) > 300) {
        badSignatures.incrementAndGet();
        x.sendResponseHeaders(401, -1);
        return;
      }
      Received r =
          new Received(id, Json.MAPPER.readTree(body), System.nanoTime(), timestamp, body, sig);
      acceptedById.merge(id, 1, Integer::sum);
      received.add(r);
      x.sendResponseHeaders(204, -1);
      onReceive.accept(r);
    }
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Ids accepted more than once. */
  public long duplicated() {
    return acceptedById.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
  }

  public boolean has(String id) {
    return acceptedById.containsKey(id);
  }

  public int requests() {
    return requests.get();
  }

  public int refused() {
    return refused.get();
  }

  public int badSignatures() {
    return badSignatures.get();
  }

  /** Waits until every id is accepted, or the time is up; true when all were. */
  public boolean awaitAll(java.util.Collection<String> ids, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ids.stream().allMatch(acceptedById::containsKey)) {
        return true;
      }
      sleep(Duration.ofMillis(50));
    }
    return ids.stream().allMatch(acceptedById::containsKey);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
