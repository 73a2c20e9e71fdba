package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Metrics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes to Xero's Accounting API with {@code summarizeErrors=false}, so each element comes back
 * with its own status and validation messages (one element per request, or a batch of up to 50);
 * and the reads that reconcile an ambiguous write. Every call takes from the same call budget as
 * the sync's reads.
 *
 * <p>Outcomes: a 200 element without errors is {@link Outcome#accepted}; Xero's validation messages
 * (in a 200 element or a 400) are a {@link Outcome#rejected} outcome, definitive, nothing was
 * saved. Anything else throws {@link XeroApiException}: a 429 or a refused token was turned away
 * before Xero did anything, while a timeout, a lost connection or a 5xx is <em>ambiguous</em>
 * ({@link #isAmbiguous}): Xero may have saved the element.
 */
public final class XeroWrites implements XeroEndpoint {
  private final HttpClient http;
  private final URI apiBase;
  private final XeroApi budgeted;
  private final Duration timeout;

  public XeroWrites(HttpClient http, URI apiBase, CallBudget budget) {
    this(http, apiBase, budget, Duration.ofSeconds(20));
  }

  public XeroWrites(HttpClient http, URI apiBase, CallBudget budget, Duration timeout) {
    this.http = http;
    this.apiBase = apiBase;
    this.budgeted = new XeroApi(http, apiBase, budget);
    this.timeout = timeout;
  }

  /**
   * The element Xero saved, or every validation message Xero gave for it; and Xero's warnings, in
   * its words (e.g. "Account code '476' has been removed as it does not match a recognised
   * account.", the spec's example): Xero changed what was sent, saved or not.
   */
  public record Outcome(
      int status, @Nullable JsonNode element, List<String> messages, List<String> warnings) {
    public Outcome(int status, @Nullable JsonNode element, List<String> messages) {
      this(status, element, messages, List.of());
    }

    public boolean accepted() {
      return messages.isEmpty() && element != null;
    }

    public boolean rejected() {
      return !accepted();
    }

    /** The element Xero saved; asked only of an outcome that is not {@link #rejected}. */
    public JsonNode saved() {
      if (element == null) {
        throw new IllegalStateException("a rejected write saved no element");
      }
      return element;
    }
  }

  /** A failure after which Xero may or may not have saved what was sent. */
  public static boolean isAmbiguous(XeroApiException e) {
    return e.status() == 0 || e.status() >= 500;
  }

  /**
   * Sends one element to a collection endpoint, e.g. {@code PUT /Invoices} or {@code POST
   * /Invoices/{id}}, with Xero's Idempotency-Key.
   */
  public Outcome write(
      String method,
      String path,
      String collection,
      JsonNode element,
      String tenantId,
      String accessToken,
      String idempotencyKey)
      throws XeroApiException {
    return writeAll(
            method, path, collection, List.of(element), tenantId, accessToken, idempotencyKey)
        .get(0);
  }

  /**
   * Sends up to 50 elements in one request; each comes back with its own outcome, in the order sent
   * (Xero answers a batch element by element under {@code summarizeErrors=false}).
   */
  @Override
  public List<Outcome> writeAll(
      String method,
      String path,
      String collection,
      List<? extends JsonNode> elements,
      String tenantId,
      String accessToken,
      String idempotencyKey)
      throws XeroApiException {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putArray(collection).addAll(List.copyOf(elements));
    String pathAndQuery = "/api.xro/2.0/" + path + "?summarizeErrors=false";
    budgeted.waitForBudget(tenantId, pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(apiBase.resolve(pathAndQuery))
            .timeout(timeout)
            .header("Authorization", "Bearer " + accessToken)
            .header("xero-tenant-id", tenantId)
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> response = send(request.build(), path);
    int status = response.statusCode();
    budgeted.budget().record(tenantId, XeroApi.rateHeaders(status, response.headers()));
    if (status == 200 || status == 400) {
      JsonNode root;
      try {
        root = Json.MAPPER.readTree(response.body());
      } catch (IOException e) {
        if (status == 200) {
          // Xero said OK but the body is lost: it saved the elements, and we cannot tell their ids.
          throw new XeroApiException(502, "InvalidResponse", null, "Xero sent no JSON for " + path);
        }
        return all(
            elements.size(), new Outcome(status, null, List.of("Xero refused the request (400)")));
      }
      JsonNode els = root.path(collection);
      if (els.isMissingNode()) {
        els = root.path("Elements");
      }
      if (status == 200 && els.size() != elements.size()) {
        throw new XeroApiException(
            502,
            "InvalidResponse",
            null,
            "Xero answered " + els.size() + " of " + elements.size() + " elements for " + path);
      }
      if (status == 400 && els.size() != elements.size()) {
        // The request as a whole was refused (too many elements, a malformed body): nothing saved.
        List<String> messages = messages(els.path(0));
        if (messages.isEmpty()) {
          messages =
              List.of(root.path("Message").asText(root.path("Detail").asText("Bad request")));
        }
        return all(elements.size(), new Outcome(status, null, messages));
      }
      List<Outcome> out = new ArrayList<>();
      for (JsonNode el : els) {
        List<String> messages = messages(el);
        if (status == 400 && messages.isEmpty()) {
          messages =
              List.of(root.path("Message").asText(root.path("Detail").asText("Bad request")));
        }
        out.add(new Outcome(status, messages.isEmpty() ? el : null, messages, warnings(el)));
      }
      return out;
    }
    if (status == 404) {
      return all(
          elements.size(), new Outcome(404, null, List.of(notFoundMessage(response.body(), path))));
    }
    throw XeroApi.failure(status, response, pathAndQuery);
  }

  private static List<Outcome> all(int n, Outcome outcome) {
    return java.util.Collections.nCopies(n, outcome);
  }

  /** A GET for reconciliation and reference data, within the same budget. */
  @Override
  public JsonNode read(String pathAndQuery, String tenantId, String accessToken)
      throws XeroApiException {
    return budgeted.get("/api.xro/2.0/" + pathAndQuery, tenantId, accessToken, null);
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Xero's where-clause string literal, with its quotes escaped. */
  public static String whereEquals(String field, String value) {
    return encode(field + "==\"" + value.replace("\"", "\\\"") + "\"");
  }

  private HttpResponse<String> send(HttpRequest request, String path) throws XeroApiException {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      Metrics.count(Metrics.XERO_CALLS, 1, "Outcome", Metrics.outcomeOf(r.statusCode()));
      if (r.statusCode() == 429) {
        Metrics.count(Metrics.XERO_429S, 1);
      }
      return r;
    } catch (IOException e) {
      Metrics.count(Metrics.XERO_CALLS, 1, "Outcome", Metrics.outcomeOf(0));
      throw new XeroApiException(
          0,
          "Timeout",
          null,
          "Xero did not answer "
              + request.method()
              + " "
              + path
              + ": "
              + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new XeroApiException(0, "Interrupted", null, "interrupted while calling Xero");
    }
  }

  private static List<String> messages(JsonNode element) {
    List<String> out = new ArrayList<>();
    element.path("ValidationErrors").forEach(v -> out.add(text(v)));
    if (out.isEmpty() && element.path("HasErrors").asBoolean(false)) {
      out.add("Xero marked the element as in error without a message");
    }
    return out;
  }

  /** An element's Warnings, each in Xero's words. */
  static List<String> warnings(JsonNode element) {
    List<String> out = new ArrayList<>();
    element.path("Warnings").forEach(w -> out.add(text(w)));
    if (out.isEmpty() && "WARNING".equals(element.path("StatusAttributeString").asText())) {
      out.add("Xero marked the element WARNING without a message");
    }
    return out;
  }

  /**
   * A validation error's or warning's words: under Message as Xero answers, or under Description as
   * some of Xero's documentation shows them.
   */
  private static String text(JsonNode error) {
    String message = error.path("Message").asText("");
    return message.isEmpty() ? error.path("Description").asText("") : message;
  }

  private static String notFoundMessage(String body, String path) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n.hasNonNull("Message")) {
        return n.get("Message").asText();
      }
      if (n.hasNonNull("Detail")) {
        return n.get("Detail").asText();
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the generic message
    }
    return "Xero found nothing at " + path;
  }
}
