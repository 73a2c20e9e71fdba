package dev.xerosync.infra.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.http.XeroJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** A plain HTTP client for driving the simulator the way an app drives Xero. */
final class SimHttp {
  record Resp(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return XeroJson.MAPPER.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final URI base;

  SimHttp(URI base) {
    this.base = base;
  }

  Resp get(String path, String token, String tenant, String... headers) {
    return send("GET", path, token, tenant, null, headers);
  }

  Resp send(
      String method, String path, String token, String tenant, String jsonBody, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (tenant != null) {
      b.header("xero-tenant-id", tenant);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    return exec(b.build());
  }

  Resp form(String path, String basicUser, String basicPassword, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (basicUser != null) {
      String cred =
          Base64.getEncoder()
              .encodeToString((basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8));
      b.header("Authorization", "Basic " + cred);
    }
    return exec(b.build());
  }

  /**
   * Like send, but an I/O failure (a dropped connection, a timeout) comes back as null, the way a
   * client that must decide whether to retry sees it.
   */
  Resp trySend(
      String method,
      String path,
      String token,
      String tenant,
      String jsonBody,
      Duration timeout,
      String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (tenant != null) {
      b.header("xero-tenant-id", tenant);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Resp(r.statusCode(), r.headers(), r.body());
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Resp exec(HttpRequest req) {
    try {
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      return new Resp(r.statusCode(), r.headers(), r.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
