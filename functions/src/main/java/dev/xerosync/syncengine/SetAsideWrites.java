package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.xero.XeroContact;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes of single items that the store may refuse (finding 1 of issue 29: an amount past what
 * DynamoDB holds). A refused item is put aside, named, logged and counted, and the sync carries on:
 * retrying the message could never store it, and would hold the tenant's other changes behind it
 * until the dead-letter queue. A transient failure still fails the sync, which retries.
 */
final class SetAsideWrites {
  private static final Log LOG = Log.of(SetAsideWrites.class);

  static final String INVOICE = "INVOICE";
  static final String CONTACT = "CONTACT";

  private final SyncRecords.SetAsideLog log;

  SetAsideWrites(SyncRecords.SetAsideLog log) {
    this.log = log;
  }

  /** Runs the write; returns false when the store refused the item and it was put aside. */
  boolean write(String tenantId, String kind, @Nullable String id, Runnable write) {
    try {
      write.run();
      return true;
    } catch (RuntimeException e) {
      if (!refused(e)) {
        throw e;
      }
      setAside(tenantId, kind, id, e);
      return false;
    }
  }

  boolean refused(RuntimeException e) {
    return log.refused(e);
  }

  /**
   * Contacts written through {@link #write}; a page the store refuses is written one contact at a
   * time, so only the contact it refuses is put aside.
   */
  SyncRecords.Contacts contacts(SyncRecords.Contacts contacts) {
    return new SyncRecords.Contacts() {
      @Override
      public void upsert(String tenantId, XeroContact contact) {
        write(tenantId, CONTACT, contact.contactId(), () -> contacts.upsert(tenantId, contact));
      }

      @Override
      public void upsertPage(String tenantId, List<XeroContact> page) {
        try {
          contacts.upsertPage(tenantId, page);
        } catch (RuntimeException e) {
          if (!refused(e)) {
            throw e;
          }
          page.forEach(c -> upsert(tenantId, c));
        }
      }
    };
  }

  private void setAside(String tenantId, String kind, @Nullable String id, RuntimeException e) {
    // The store's message names the value's problem, not the value; no token is in reach here.
    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    Metrics.count(Metrics.SYNC_ITEMS_SET_ASIDE, 1);
    LOG.error(
        "the store refused an item Xero sent; set aside, the rest is stored",
        e,
        "tenantId",
        tenantId,
        "kind",
        kind,
        "id",
        id,
        "reason",
        reason);
    if (id == null) {
      // Nothing to key a record by (the store would refuse it too); the metric and the log line
      // above still count and describe the item.
      return;
    }
    try {
      log.put(tenantId, kind, id, reason);
    } catch (RuntimeException recordFailed) {
      // The metric and the log line above still name it; failing here would stall the tenant.
      LOG.error(
          "set-aside record not written",
          recordFailed,
          "tenantId",
          tenantId,
          "kind",
          kind,
          "id",
          id);
    }
  }
}
