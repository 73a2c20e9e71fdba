package dev.xerosync.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch. Callers pass identifiers and
 * counts only, never tokens or secrets.
 */
public final class Log {
    private final String component;

    private Log(String component) {
        this.component = component;
    }

    public static Log of(Class<?> owner) {
        return new Log(owner.getSimpleName());
    }

    public void info(String message, Object... keyValues) {
        write("INFO", message, null, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write("WARN", message, null, keyValues);
    }

    public void error(String message, Throwable error, Object... keyValues) {
        write("ERROR", message, error, keyValues);
    }

    private void write(String level, String message, Throwable error, Object... keyValues) {
        ObjectNode line = Json.MAPPER.createObjectNode()
                .put("ts", Instant.now().toString())
                .put("level", level)
                .put("logger", component)
                .put("message", message);
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
        String safeMessage();
    }
}
