package dev.xerosync.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The checks every read route makes of its parameters (the query routes and the event replay), each
 * failing as a 400 {@link Problem} that says how to fix the request.
 */
public final class QueryChecks {
  private QueryChecks() {}

  /** Refuses query parameters the route does not know, so a typo is not silently ignored. */
  public static void onlyParams(APIGatewayProxyRequestEvent event, Set<String> allowed)
      throws Problem {
    Map<String, String> q = event.getQueryStringParameters();
    if (q == null) {
      return;
    }
    for (String name : q.keySet()) {
      if (!allowed.contains(name)) {
        throw Problem.invalid(
            "unknown query parameter '"
                + truncate(name)
                + "'; this endpoint takes "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** A whole number from {@code min} to {@code max}; {@code fallback} when {@code raw} is null. */
  public static int intParam(String name, @Nullable String raw, int fallback, int min, int max)
      throws Problem {
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // Falls through to the message below.
    }
    throw Problem.invalid(
        name
            + " must be a whole number from "
            + min
            + " to "
            + max
            + ", not '"
            + truncate(raw)
            + "'");
  }

  /** A Xero id, in canonical lower-case form. */
  public static String uuid(String name, @Nullable String value) throws Problem {
    // Canonical form only: UUID.fromString also reads "+1234567-..." as some other UUID.
    if (value != null && Guid.isCanonical(value)) {
      return value.toLowerCase(Locale.ROOT);
    }
    throw Problem.invalid(
        name
            + " must be a Xero ID (a UUID such as 4f5e2b0c-8a45-4e8a-9d8e-0d1f1c2b3a4d), not '"
            + truncate(value == null ? "" : value)
            + "'");
  }

  /** A value quoted in a message, cut to 64 characters. */
  public static String truncate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
