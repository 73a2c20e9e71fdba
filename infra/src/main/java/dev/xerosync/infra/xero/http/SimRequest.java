package dev.xerosync.infra.xero.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One inbound HTTP request, detached from the JDK server so handlers are plain functions. rawTarget
 * is the request-target exactly as sent (path plus encoded query): Xero's gateway limits its
 * length.
 */
public record SimRequest(
    String method,
    String path,
    String rawTarget,
    Map<String, String> query,
    Map<String, List<String>> headers,
    byte[] body,
    List<String> pathParams) {

  public static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  public Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
  }

  /** Query parameter names are case-insensitive in Xero (IDs, ids, Ids all work). */
  public Optional<String> param(String name) {
    for (var e : query.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public SimRequest withPathParams(List<String> params) {
    return new SimRequest(method, path, rawTarget, query, headers, body, params);
  }
}
