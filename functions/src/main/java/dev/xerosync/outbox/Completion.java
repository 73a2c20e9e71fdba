package dev.xerosync.outbox;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What one operation (or one invoice of a history push) came to. */
record Completion(
    OperationState state,
    Map<String, String> ids,
    List<String> messages,
    @Nullable String code,
    @Nullable String action,
    @Nullable String actionUrl) {

  static Completion succeeded(Map<String, String> ids) {
    return new Completion(OperationState.SUCCEEDED, ids, List.of(), null, null, null);
  }

  /** Xero's validation messages: definitive, nothing was saved. */
  static Completion rejected(List<String> messages) {
    Corrections.Correction c = Corrections.of(messages);
    OperationState s =
        "CONTACT_ARCHIVED".equals(c.code())
            ? OperationState.NEEDS_ATTENTION
            : OperationState.FAILED;
    return new Completion(s, Map.of(), messages, c.code(), c.action(), null);
  }

  static Completion failed(String code, String message, String action) {
    return new Completion(OperationState.FAILED, Map.of(), List.of(message), code, action, null);
  }

  static Completion needsAttention(String message, String code, String action) {
    return new Completion(
        OperationState.NEEDS_ATTENTION, Map.of(), List.of(message), code, action, null);
  }

  /** Not now: another operation must finish first (nothing was sent). */
  static Completion waitFor(String why) {
    return new Completion(OperationState.QUEUED, Map.of(), List.of(why), null, null, null);
  }

  /**
   * Not now, as above; if the wait runs out, the write fails with {@code code} and {@code action}
   * (without them, SETUP_REQUIRED: the set-up is what payments and deposits wait for).
   */
  static Completion waitFor(String why, String code, String action) {
    return new Completion(OperationState.QUEUED, Map.of(), List.of(why), code, action, null);
  }

  /**
   * The same outcome with {@code warnings} added to its messages: what Xero holds differs from what
   * was asked, so a success says so.
   */
  Completion warning(List<String> warnings) {
    if (warnings.isEmpty()) {
      return this;
    }
    List<String> all = new java.util.ArrayList<>(messages);
    all.addAll(warnings);
    return new Completion(state, ids, List.copyOf(all), code, action, actionUrl);
  }

  /** The same outcome, naming Xero's ids (a refused change still says which invoice it was). */
  Completion withIds(Map<String, String> xeroIds) {
    return new Completion(state, xeroIds, messages, code, action, actionUrl);
  }
}
