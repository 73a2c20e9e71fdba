package dev.xerosync.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.store.Operations;
import java.time.Instant;
import java.util.Optional;

/** The outbox's links and set-up documents, read and written as JSON through the store. */
final class OperationLog {
  static final String INVOICE = "INVOICE";
  static final String CONTACT = "CONTACT";
  static final String PAYMENT = "PAYMENT";
  static final String DEPOSIT = "DEPOSIT";

  /**
   * The latest accepted write that creates a customer's contact (by our customer id): a write that
   * names the customer without a name waits for it instead of failing.
   */
  static final String CONTACT_PENDING = "CONTACT_PENDING";

  /** The latest accepted set-up operation, which payments and deposits wait for. */
  static final String SETUP = "SETUP";

  private final OperationRecords operations;

  OperationLog(Operations operations) {
    this(OperationRecords.of(operations));
  }

  OperationLog(OperationRecords operations) {
    this.operations = operations;
  }

  Optional<ObjectNode> link(String tenantId, String kind, String externalId) {
    return operations.link(tenantId, kind, externalId).map(OperationLog::parse);
  }

  void putLink(String tenantId, String kind, String externalId, ObjectNode link) {
    operations.putLink(tenantId, kind, externalId, link.toString());
  }

  Optional<ObjectNode> settings(String tenantId) {
    return operations.accountingSettings(tenantId).map(OperationLog::parse);
  }

  void putSettings(String tenantId, ObjectNode settings) {
    operations.putAccountingSettings(tenantId, settings.toString());
  }

  Optional<ObjectNode> reference(String tenantId) {
    return operations.xeroReference(tenantId).map(OperationLog::parse);
  }

  void putReference(String tenantId, ObjectNode reference) {
    operations.putXeroReference(tenantId, reference.toString());
  }

  /** True when a set-up operation was accepted and has not finished yet. */
  boolean setupPending(String tenantId) {
    return link(tenantId, SETUP, "accounting")
        .flatMap(l -> load(tenantId, l.path("operationId").asText()))
        .map(setup -> !setup.state.isTerminal())
        .orElse(false);
  }

  /**
   * Marks {@code op}, just accepted, as the write that creates its new customer's contact, so that
   * a write in another lane that names the customer without a name (a deposit) waits for it instead
   * of failing. A customer already linked needs no mark (one read and no write for every later
   * invoice).
   */
  void markContactPending(Operation op) {
    JsonNode contact =
        switch (op.kind) {
          case INVOICE_UPSERT -> op.request.path("contact");
          case CONTACT_UPSERT ->
              ((ObjectNode) op.request.deepCopy()).put("externalId", op.externalId);
          default -> null;
        };
    if (contact == null || !contact.hasNonNull("name") || !contact.hasNonNull("externalId")) {
      return;
    }
    String ext = contact.get("externalId").asText();
    if (link(op.tenantId, CONTACT, ext).isEmpty()) {
      putLink(
          op.tenantId,
          CONTACT_PENDING,
          ext,
          Json.MAPPER.createObjectNode().put("operationId", op.operationId));
    }
  }

  /** True when another write that creates contact {@code externalId} has not finished yet. */
  boolean contactPending(String tenantId, String externalId, String exceptOperationId) {
    return link(tenantId, CONTACT_PENDING, externalId)
        .map(l -> l.path("operationId").asText())
        .filter(id -> !id.equals(exceptOperationId))
        .flatMap(id -> load(tenantId, id))
        .map(creator -> !creator.state.isTerminal())
        .orElse(false);
  }

  boolean save(Operation op, Instant now) {
    op.updatedAt = now;
    boolean saved =
        operations.save(
            op.tenantId, op.operationId, op.state.name(), op.toDocument(), op.version, now);
    if (saved) {
      op.version++;
    }
    return saved;
  }

  void backlogFinished(String tenantId) {
    operations.backlogFinished(tenantId);
  }

  long finishedWrites(String tenantId) {
    return operations.finishedWrites(tenantId);
  }

  Optional<Operation> load(String tenantId, String operationId) {
    return operations
        .get(tenantId, operationId)
        .map(s -> Operation.fromDocument(s.document(), s.version()));
  }

  private static ObjectNode parse(String doc) {
    try {
      JsonNode n = Json.MAPPER.readTree(doc);
      return (ObjectNode) n;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored write-back document is not JSON", e);
    }
  }
}
