package dev.xerosync.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Problem;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.LoggedEvent;
import dev.xerosync.store.PageCursor;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Replay: a tenant's business events of the last 30 days, in the order they were published, from an
 * opaque cursor on. The answer always carries a cursor, so a consumer can poll from the end.
 */
public final class EventReplay {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 500;

  private final EventLog log;

  public EventReplay(EventLog log) {
    this.log = log;
  }

  /**
   * @param cursor a {@code nextCursor} of an earlier answer, or null for the oldest event kept
   * @param types the types wanted, or null for every type
   */
  public ObjectNode page(
      String tenantId, @Nullable String cursor, @Nullable Set<String> types, int limit)
      throws Problem {
    long after;
    try {
      after = cursor == null ? 0 : EventLog.after(tenantId, cursor);
    } catch (PageCursor.InvalidCursor e) {
      throw Problem.invalid(e.getMessage());
    }
    EventLog.Page page = log.page(tenantId, after, limit, types);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode events = body.putArray("events");
    for (LoggedEvent e : page.events()) {
      events.add(Json.MAPPER.valueToTree(EventRelay.event(e)));
    }
    body.put("nextCursor", EventLog.cursor(tenantId, page.through()));
    body.put("hasMore", page.more());
    return body;
  }
}
