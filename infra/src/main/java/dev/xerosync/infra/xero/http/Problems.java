package dev.xerosync.infra.xero.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/** The error bodies Xero sends, in one place so every handler fails the same way. */
public final class Problems {
  private static final DateTimeFormatter US_STAMP =
      DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss").withZone(ZoneOffset.UTC);

  private Problems() {}

  /**
   * The gateway's ASP.NET ProblemDetails shape, PascalCase, with a null Type and empty Extensions.
   */
  public static SimResponse problem(int status, String title, String detail) {
    ObjectNode n = XeroJson.object();
    n.putNull("Type");
    n.put("Title", title)
        .put("Status", status)
        .put("Detail", detail)
        .put("Instance", UUID.randomUUID().toString());
    n.putObject("Extensions");
    return SimResponse.json(status, n);
  }

  /** Expired access token: ProblemDetails plus the JwtBearer challenge header. */
  public static SimResponse tokenExpired(Instant expiredAt) {
    String stamp = US_STAMP.format(expiredAt);
    return problem(401, "Unauthorized", "TokenExpired: token expired at " + stamp)
        .header(
            "WWW-Authenticate",
            "Bearer error=\"invalid_token\", error_description=\"The token expired at '"
                + stamp
                + "'\"");
  }

  public static SimResponse unauthorized() {
    return problem(401, "Unauthorized", "AuthenticationUnsuccessful")
        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }

  public static SimResponse forbidden() {
    return problem(403, "Forbidden", "AuthenticationUnsuccessful");
  }

  /** The accounting API's 404 is a bare sentence, not JSON. */
  public static SimResponse notFound() {
    return SimResponse.text(
        404, "text/plain; charset=utf-8", "The resource you're looking for cannot be found");
  }

  public static SimResponse oauthError(int status, String error) {
    return SimResponse.json(status, XeroJson.object().put("error", error));
  }

  /**
   * Accounting API error envelope (ErrorNumber/Type/Message), e.g. ValidationException with
   * Elements.
   */
  public static SimResponse apiException(
      int status, int number, String type, String message, ArrayNode elements) {
    ObjectNode n =
        XeroJson.object().put("ErrorNumber", number).put("Type", type).put("Message", message);
    if (elements != null) {
      n.set("Elements", elements);
    }
    return SimResponse.json(status, n);
  }

  /** Post data Xero cannot read into its models: the whole request, no elements. */
  public static SimResponse postDataInvalid(String message) {
    return apiException(400, 14, "PostDataInvalidException", message, null);
  }

  public static ArrayNode validationErrors(List<String> messages) {
    ArrayNode arr = XeroJson.MAPPER.createArrayNode();
    for (String m : messages) {
      arr.addObject().put("Message", m);
    }
    return arr;
  }

  public static SimResponse validation(String message) {
    ArrayNode elements = XeroJson.MAPPER.createArrayNode();
    elements.addObject().set("ValidationErrors", validationErrors(List.of(message)));
    return apiException(
        400, 10, "ValidationException", "A validation exception occurred", elements);
  }
}
