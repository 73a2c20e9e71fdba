package dev.xerosync.notify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** What a subscription may name: known types, or a whole category ({@code invoice.*}). */
public final class SubscriptionRules {
  /** A SaaS tenant's subscriptions are read on every fan-out; a few are all a product needs. */
  public static final int MAX_PER_SAAS_TENANT = 20;

  /** Every type a subscription can name, the business ones first. */
  public static final List<String> TYPES =
      Stream.concat(EventTypes.BUSINESS.stream(), Notification.TYPES.stream()).toList();

  private static final Set<String> CATEGORIES = categories();

  private SubscriptionRules() {}

  /** Why these types cannot be subscribed to, or null when they can. */
  public static @Nullable String problem(@Nullable List<String> types) {
    if (types == null || types.isEmpty()) {
      return "name at least one event type in \"types\"";
    }
    List<String> unknown = new ArrayList<>();
    for (String t : types) {
      if (!TYPES.contains(t) && !CATEGORIES.contains(t)) {
        unknown.add(t);
      }
    }
    return unknown.isEmpty()
        ? null
        : "unknown event types "
            + unknown
            + "; known: "
            + TYPES
            + ", or a category such as invoice.*";
  }

  private static Set<String> categories() {
    Set<String> out = new LinkedHashSet<>();
    TYPES.forEach(t -> out.add(t.substring(0, t.indexOf('.')) + ".*"));
    return out;
  }
}
