package dev.xerosync.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * A request refused with an RFC 9457 problem ({@code application/problem+json}): its status, a
 * short title, and a detail that says what is wrong and how to fix it. Every handler throws this
 * one type and answers with {@link #response()}; the detail is written for the caller, so it may be
 * logged ({@link Log.SafeMessage}) and never holds a secret.
 */
public final class Problem extends Exception implements Log.SafeMessage {
  public static final String CONTENT_TYPE = "application/problem+json";

  private final int status;
  private final String title;
  private final String detail;
  private final Map<String, String> headers;

  public Problem(int status, String title, String detail) {
    this(status, title, detail, Map.of());
  }

  /** A problem answered with more headers, e.g. a 429's Retry-After. */
  public Problem(int status, String title, String detail, Map<String, String> headers) {
    // A refusal is an answer, not a fault: no stack trace to fill.
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.headers = Map.copyOf(headers);
  }

  /** 400 "Invalid request": a parameter or body that is wrong. */
  public static Problem invalid(String detail) {
    return new Problem(400, "Invalid request", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return detail;
  }

  @Override
  public String safeMessage() {
    return detail;
  }

  /** The problem document, with {@code type} {@code about:blank} (the status says it all). */
  public APIGatewayProxyResponseEvent response() {
    return response(Map.of());
  }

  /** The problem document with more headers (Cache-Control, CORS). */
  public APIGatewayProxyResponseEvent response(Map<String, String> extraHeaders) {
    String body =
        Json.MAPPER
            .createObjectNode()
            .put("type", "about:blank")
            .put("title", title)
            .put("status", status)
            .put("detail", getMessage())
            .toString();
    Map<String, String> all = new HashMap<>(headers);
    all.putAll(extraHeaders);
    all.put("Content-Type", CONTENT_TYPE);
    all.put(ApiResponses.NOSNIFF, "nosniff");
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(status)
        .withHeaders(all)
        .withBody(body);
  }
}
