package dev.xerosync.outbox;

import dev.xerosync.store.Operations;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The outbox's stored documents in memory, with the version check the store makes on a save. */
final class FakeOperationRecords implements OperationRecords {
  private final Map<String, Operations.Stored> operations = new HashMap<>();
  final Map<String, String> links = new HashMap<>();
  private final Map<String, String> settings = new HashMap<>();
  private final Map<String, String> references = new HashMap<>();

  /** Writes counted as ended in the tenant's queue. */
  int backlogFinished;

  /** Records an accepted operation, as {@link Outbox#accept} does. */
  void create(Operation op) {
    op.version = 1;
    operations.put(
        op.tenantId + "|" + op.operationId,
        new Operations.Stored(op.toDocument(), op.state.name(), 1));
  }

  @Override
  public Optional<Operations.Stored> get(String tenantId, String operationId) {
    return Optional.ofNullable(operations.get(tenantId + "|" + operationId));
  }

  @Override
  public boolean save(
      String tenantId,
      String operationId,
      String state,
      String document,
      long expectedVersion,
      Instant now) {
    String key = tenantId + "|" + operationId;
    Operations.Stored stored = operations.get(key);
    if (stored == null || stored.version() != expectedVersion) {
      return false;
    }
    operations.put(key, new Operations.Stored(document, state, expectedVersion + 1));
    return true;
  }

  @Override
  public Optional<String> link(String tenantId, String kind, String externalId) {
    return Optional.ofNullable(links.get(tenantId + "|" + kind + "|" + externalId));
  }

  @Override
  public void putLink(String tenantId, String kind, String externalId, String document) {
    links.put(tenantId + "|" + kind + "|" + externalId, document);
  }

  @Override
  public Optional<String> accountingSettings(String tenantId) {
    return Optional.ofNullable(settings.get(tenantId));
  }

  @Override
  public void putAccountingSettings(String tenantId, String document) {
    settings.put(tenantId, document);
  }

  @Override
  public Optional<String> xeroReference(String tenantId) {
    return Optional.ofNullable(references.get(tenantId));
  }

  @Override
  public void putXeroReference(String tenantId, String document) {
    references.put(tenantId, document);
  }

  @Override
  public void backlogFinished(String tenantId) {
    backlogFinished++;
  }

  @Override
  public long finishedWrites(String tenantId) {
    return backlogFinished;
  }
}
