package dev.xerosync.infra.xero.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The single listening port: matches method and path to a Route and copies the result onto the
 * wire.
 */
public final class HttpFront implements AutoCloseable {
  private record Binding(String method, Pattern path, Route route) {}

  /**
   * What a prefix answers for a request no route takes: {@code allowed} holds the methods the path
   * does take (empty when no route has the path).
   */
  @FunctionalInterface
  public interface Miss {
    SimResponse handle(SimRequest request, List<String> allowed) throws Exception;
  }

  private record MissBinding(String prefix, Miss miss) {}

  private final List<Binding> bindings = new ArrayList<>();
  private final List<MissBinding> misses = new ArrayList<>();
  private final EgressMeter egress = new EgressMeter();
  private HttpServer server;
  private ExecutorService executor;

  /**
   * Path templates use {name} for one segment; matching is case-insensitive like Xero's (IIS)
   * routing.
   */
  public HttpFront on(String method, String template, Route route) {
    String regex = template.replaceAll("\\{[^/]+}", "([^/]+)");
    bindings.add(new Binding(method, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), route));
    return this;
  }

  /**
   * Answers the requests under {@code prefix} (a path of its own, or below it) that no route takes,
   * instead of the front's 404 and 405 in Xero's words.
   */
  public HttpFront otherwise(String prefix, Miss miss) {
    misses.add(new MissBinding(prefix, miss));
    return this;
  }

  public void start(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  /** Response bytes as sent, per tenant and endpoint. */
  public EgressMeter egress() {
    return egress;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange ex) throws IOException {
    SimResponse resp;
    SimRequest req = null;
    try {
      req = toRequest(ex);
      resp = dispatch(req);
    } catch (Exception e) {
      resp = SimResponse.text(500, "text/plain; charset=utf-8", "An error occurred in Xero. " + e);
    }
    // Throwing out of the handler makes the JDK server close the connection unanswered.
    if (resp.isDropped()) {
      throw new IOException("response dropped by fault injection");
    }
    try (ex) {
      boolean noBody =
          resp.status() == 204
              || resp.status() == 304
              || ex.getRequestMethod().equals("HEAD")
              || resp.body().length == 0;
      byte[] body = noBody ? new byte[0] : resp.body();
      if (!noBody && req != null && acceptsGzip(req)) {
        body = gzip(body);
        resp.header("Content-Encoding", "gzip");
      }
      for (var h : resp.headers().entrySet()) {
        ex.getResponseHeaders().set(h.getKey(), h.getValue());
      }
      ex.sendResponseHeaders(resp.status(), noBody ? -1 : body.length);
      if (req != null) {
        egress.record(req, body.length, noBody ? 0 : resp.body().length);
      }
      if (!noBody) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      }
    }
  }

  /**
   * A body goes out gzipped when Accept-Encoding names gzip with a non-zero weight (RFC 9110
   * sections 8.4.1 and 12.5.3), as Xero's gateway does; otherwise as it is.
   */
  static boolean acceptsGzip(SimRequest req) {
    List<String> values = req.headers().get("accept-encoding");
    if (values == null) {
      return false;
    }
    for (String v : values) {
      for (String coding : v.split(",")) {
        String c = coding.trim().toLowerCase(Locale.ROOT);
        if (c.equals("gzip") || (c.startsWith("gzip;") && !c.replace(" ", "").endsWith("q=0"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  private SimResponse dispatch(SimRequest req) throws Exception {
    List<String> allowed = new ArrayList<>();
    for (Binding b : bindings) {
      Matcher m = b.path.matcher(req.path());
      if (!m.matches()) {
        continue;
      }
      if (!b.method.equals(req.method())) {
        allowed.add(b.method);
        continue;
      }
      List<String> params = new ArrayList<>();
      for (int i = 1; i <= m.groupCount(); i++) {
        params.add(m.group(i));
      }
      return b.route.handle(req.withPathParams(params));
    }
    for (MissBinding m : misses) {
      if (under(req.path(), m.prefix())) {
        return m.miss().handle(req, allowed);
      }
    }
    return !allowed.isEmpty()
        ? SimResponse.text(
            405,
            "text/plain; charset=utf-8",
            "The requested resource does not support http method '" + req.method() + "'.")
        : SimResponse.text(
            404, "text/plain; charset=utf-8", "The resource you're looking for cannot be found");
  }

  /** Whether {@code path} is {@code prefix} or below it, case-insensitively like the routes. */
  static boolean under(String path, String prefix) {
    return path.regionMatches(true, 0, prefix, 0, prefix.length())
        && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }

  private static SimRequest toRequest(HttpExchange ex) throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    String rawPath = ex.getRequestURI().getRawPath();
    String rawQuery = ex.getRequestURI().getRawQuery();
    String rawTarget = rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    byte[] body = ex.getRequestBody().readAllBytes();
    return new SimRequest(
        ex.getRequestMethod(),
        ex.getRequestURI().getPath(),
        rawTarget,
        SimRequest.parseQuery(rawQuery),
        headers,
        body,
        List.of());
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
