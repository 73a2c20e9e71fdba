package dev.xerosync.syncengine;

import org.jspecify.annotations.Nullable;

/** What the worker tells the SaaS tenant about a connection's sync (alerts' ConnectionAlerts). */
public interface SyncAlerts {
  /** Xero refused access: only an admin's reconnect helps. */
  void needsReconnect(String tenantId, @Nullable String cause);

  void syncError(String tenantId, String cause);

  void initialSyncComplete(String tenantId);
}
