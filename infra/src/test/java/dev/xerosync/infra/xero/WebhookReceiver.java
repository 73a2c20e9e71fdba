package dev.xerosync.infra.xero;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** A stand-in for the app's webhook endpoint: records the raw bytes and signature of every POST. */
final class WebhookReceiver implements AutoCloseable {
  record Received(byte[] body, String signature, String contentType) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();

  /** Decides the status to answer from (body, signature). */
  volatile BiFunction<byte[], String, Integer> responder = (b, s) -> 200;

  WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/hook",
        ex -> {
          try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String sig = ex.getRequestHeaders().getFirst("x-xero-signature");
            received.add(new Received(body, sig, ex.getRequestHeaders().getFirst("Content-Type")));
            ex.sendResponseHeaders(responder.apply(body, sig), -1);
          }
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
