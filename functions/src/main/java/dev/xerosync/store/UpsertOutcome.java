package dev.xerosync.store;

/** What an upsert did: a stale or repeated read of Xero never overwrites newer data. */
public enum UpsertOutcome {
  CREATED,
  UPDATED,
  UNCHANGED,
  STALE
}
