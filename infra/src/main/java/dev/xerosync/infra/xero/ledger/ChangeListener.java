package dev.xerosync.infra.xero.ledger;

import java.time.Instant;

/**
 * Told about every create/update the ledger commits, so webhooks can follow. category is INVOICE,
 * CONTACT or CREDITNOTE.
 */
@FunctionalInterface
public interface ChangeListener {
  void changed(String tenantId, String category, String eventType, String resourceId, Instant at);

  ChangeListener NONE = (t, c, e, r, a) -> {};
}
