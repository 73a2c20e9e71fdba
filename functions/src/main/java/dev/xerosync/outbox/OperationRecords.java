package dev.xerosync.outbox;

import dev.xerosync.store.Operations;
import java.time.Instant;
import java.util.Optional;

/**
 * The stored documents the write path reads and moves: {@link Operations} (DynamoDB) in production,
 * an in-memory map in unit tests.
 */
interface OperationRecords {
  Optional<Operations.Stored> get(String tenantId, String operationId);

  /** Replaces the operation if it is still at {@code expectedVersion}. */
  boolean save(
      String tenantId,
      String operationId,
      String state,
      String document,
      long expectedVersion,
      Instant now);

  Optional<String> link(String tenantId, String kind, String externalId);

  void putLink(String tenantId, String kind, String externalId, String document);

  Optional<String> accountingSettings(String tenantId);

  void putAccountingSettings(String tenantId, String document);

  Optional<String> xeroReference(String tenantId);

  void putXeroReference(String tenantId, String document);

  /** One of the tenant's queued writes ended: its queue is one shorter. */
  void backlogFinished(String tenantId);

  /** How many of the tenant's queued writes have ended (a write's turn is read against it). */
  long finishedWrites(String tenantId);

  static OperationRecords of(Operations operations) {
    return new OperationRecords() {
      @Override
      public Optional<Operations.Stored> get(String tenantId, String operationId) {
        return operations.get(tenantId, operationId);
      }

      @Override
      public boolean save(
          String tenantId,
          String operationId,
          String state,
          String document,
          long expectedVersion,
          Instant now) {
        return operations.save(tenantId, operationId, state, document, expectedVersion, now);
      }

      @Override
      public Optional<String> link(String tenantId, String kind, String externalId) {
        return operations.link(tenantId, kind, externalId);
      }

      @Override
      public void putLink(String tenantId, String kind, String externalId, String document) {
        operations.putLink(tenantId, kind, externalId, document);
      }

      @Override
      public Optional<String> accountingSettings(String tenantId) {
        return operations.accountingSettings(tenantId);
      }

      @Override
      public void putAccountingSettings(String tenantId, String document) {
        operations.putAccountingSettings(tenantId, document);
      }

      @Override
      public Optional<String> xeroReference(String tenantId) {
        return operations.xeroReference(tenantId);
      }

      @Override
      public void putXeroReference(String tenantId, String document) {
        operations.putXeroReference(tenantId, document);
      }

      @Override
      public void backlogFinished(String tenantId) {
        operations.backlogFinished(tenantId);
      }

      @Override
      public long finishedWrites(String tenantId) {
        return operations.backlog(tenantId).finished();
      }
    };
  }
}
