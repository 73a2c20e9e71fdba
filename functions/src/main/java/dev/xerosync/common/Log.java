package dev.xerosync.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch. Callers pass identifiers
 * and counts only, never tokens or secrets.
 *
 * <p>A handler opens a {@link Scope} per unit of work with the tenant and the correlation id (the
 * API Gateway request id of the webhook that started it, carried in every sync message), and every
 * line and metric written on that thread carries both, from webhook to store.
 */
public final class Log {
  public static final String TENANT_ID = "tenantId";
  public static final String CORRELATION_ID = "correlationId";

  private static final ThreadLocal<Map<String, String>> CONTEXT =
      ThreadLocal.withInitial(LinkedHashMap::new);

  private final String component;

  private Log(String component) {
    this.component = component;
  }

  public static Log of(Class<?> owner) {
    return new Log(owner.getSimpleName());
  }

  /** Adds fields to every line of this thread until the scope closes; null values are left out. */
  public static Scope scope(@Nullable Object... keyValues) {
    Map<String, String> context = CONTEXT.get();
    Map<String, String> previous = new LinkedHashMap<>(context);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        context.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
      }
    }
    return () -> {
      context.clear();
      context.putAll(previous);
    };
  }

  /** The fields of the open scopes on this thread. */
  public static Map<String, String> context() {
    return Map.copyOf(CONTEXT.get());
  }

  /** The correlation id of the current scope, or null. */
  public static @Nullable String correlationId() {
    return CONTEXT.get().get(CORRELATION_ID);
  }

  public void info(String message, @Nullable Object... keyValues) {
    write("INFO", message, null, keyValues);
  }

  public void warn(String message, @Nullable Object... keyValues) {
    write("WARN", message, null, keyValues);
  }

  public void error(String message, @Nullable Throwable error, @Nullable Object... keyValues) {
    write("ERROR", message, error, keyValues);
  }

  private void write(
      String level, String message, @Nullable Throwable error, @Nullable Object... keyValues) {
    ObjectNode line =
        Json.MAPPER
            .createObjectNode()
            .put("ts", Instant.now().toString())
            .put("level", level)
            .put("logger", component)
            .put("message", message);
    CONTEXT.get().forEach(line::put);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      Object value = keyValues[i + 1];
      line.put(String.valueOf(keyValues[i]), value == null ? null : String.valueOf(value));
    }
    if (error != null) {
      // The type and our own message only: third-party messages can echo request content.
      line.put("error", error.getClass().getSimpleName());
      if (error instanceof SafeMessage safe) {
        line.put("errorDetail", safe.safeMessage());
      }
    }
    System.out.println(line);
  }

  /** Exceptions whose message is known to hold no secret. */
  public interface SafeMessage {
    @Nullable String safeMessage();
  }

  /** Ends a {@link #scope}; closing restores the fields that were there before it. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
