package dev.xerosync.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.common.Json;
import dev.xerosync.notify.NotificationSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A SaaS's notification endpoint: records every POST; can refuse the first few to exercise retries.
 */
final class NotificationReceiver implements AutoCloseable {
  record Received(String body, String signature, JsonNode json) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger refuseNext = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  NotificationReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              refused.incrementAndGet();
              exchange.sendResponseHeaders(503, -1);
              return;
            }
            received.add(
                new Received(
                    body,
                    exchange.getRequestHeaders().getFirst(NotificationSignature.HEADER),
                    Json.MAPPER.readTree(body)));
            exchange.sendResponseHeaders(204, -1);
          }
        });
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  void refuseNext(int n) {
    refuseNext.set(n);
  }

  int refused() {
    return refused.get();
  }

  Received await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Received r : received) {
        if (match.test(r.json())) {
          return r;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "no matching notification within "
            + timeout
            + "; received "
            + received.stream().map(Received::json).toList());
  }

  List<Received> all() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
