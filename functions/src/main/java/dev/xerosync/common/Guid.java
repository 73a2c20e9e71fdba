package dev.xerosync.common;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Xero's ids (tenants, invoices, contacts) are GUIDs in their canonical 8-4-4-4-12 hex form. Every
 * id that reaches a queue, a key or a URL is checked here first: {@code UUID.fromString} is not
 * enough, it accepts signs and short groups ({@code +1-1-1-1-1}) as some other UUID. Each id is
 * lower-cased ({@link #canonical}) where it enters, so one tenant is never taken for two.
 */
public final class Guid {
  private static final Pattern CANONICAL =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Guid() {}

  public static boolean isCanonical(@Nullable String value) {
    return value != null && value.length() == 36 && CANONICAL.matcher(value).matches();
  }

  /**
   * The one spelling of a GUID we key, queue and compare by: lower case. GUIDs compare
   * case-insensitively (RFC 9562, section 4), and Xero mixes cases between its APIs. Anything that
   * is not a GUID comes back unchanged, so the check that refuses it still sees what was sent.
   */
  public static String canonical(String value) {
    return isCanonical(value) ? value.toLowerCase(Locale.ROOT) : value;
  }

  /**
   * A value fit for a log line that names a rejected input: control and non-ASCII characters
   * escaped as \\uXXXX, at most 80 characters.
   */
  public static String printable(@Nullable String value) {
    if (value == null) {
      return "(missing)";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < 80; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (out.length() >= 80 && value.length() > 80) {
      out.append("…(").append(value.length()).append(" chars)");
    }
    return out.toString();
  }
}
