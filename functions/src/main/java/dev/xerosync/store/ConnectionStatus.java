package dev.xerosync.store;

/** Where a tenant's connection stands, as its status endpoint and notifications report it. */
public enum ConnectionStatus {
  PENDING,
  SYNCING,
  CONNECTED,
  NEEDS_RECONNECT,
  RATE_LIMITED,
  DISCONNECTED
}
