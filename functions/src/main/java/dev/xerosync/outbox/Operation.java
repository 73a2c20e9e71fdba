package dev.xerosync.outbox;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One write the product asked for, as recorded in the outbox before anything is sent: what to do,
 * where it is, what Xero answered, and what the product should do about a failure. Only the outbox
 * moves it, through {@link WriteExecutor}; the stored version guards every move.
 */
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Operation {
  String operationId;
  String tenantId;
  OperationKind kind;
  String externalId;

  /** For a payment, the invoice it pays; otherwise null. */
  @Nullable String parentExternalId;

  OperationState state;
  JsonNode request;
  boolean skipped;
  boolean dryRun;

  /** Passes the worker made; each pass may make several Xero calls. */
  int attempts;

  /**
   * Passes that a rate limit (Xero's or our budget's) or an unfinished set-up held back: they do
   * not count against the attempts, and never fail the write before its deadline.
   */
  int holds;

  /** When a hold expects the write to go next, and why it waits; null when not held. */
  @Nullable Instant heldUntil;

  @Nullable String heldBy;

  /** The write's place in its tenant's queue: the count of writes the tenant had accepted. */
  long ticket;

  /**
   * The latest it waits for the tenant's older writes: when admission counted on it going (see
   * {@link WriteTurn}); null for a write that took no ticket.
   */
  @Nullable Instant turnBy;

  /** Held back past this instant, the write ends NEEDS_ATTENTION instead of waiting on. */
  @Nullable Instant deadline;

  /** A call may have reached Xero without our hearing its outcome: reconcile before sending. */
  boolean ambiguous;

  /** Xero's Idempotency-Key generation, and when it was first used (Xero keeps keys 6 minutes). */
  int keyGeneration;

  @Nullable Instant keyIssuedAt;
  int xeroCalls;
  int reconcileLookups;
  Map<String, String> xero = new LinkedHashMap<>();
  List<String> messages = new ArrayList<>();

  /** Xero's warnings, in its words: what it changed in what was sent. */
  List<String> warnings = new ArrayList<>();

  /** For a history push, each invoice's own outcome, in the order they were sent. */
  List<Element> elements = new ArrayList<>();

  @Nullable String code;
  @Nullable String action;
  @Nullable String actionUrl;
  Instant createdAt;

  /** When a worker first took it up: the time before that is time spent queued. */
  @Nullable Instant startedAt;

  Instant updatedAt;
  @Nullable Instant finishedAt;

  @JsonIgnore long version;

  /** One invoice of a history push: its own terminal state, Xero's ids and messages. */
  record Element(
      String externalId,
      OperationState state,
      Map<String, String> xero,
      List<String> messages,
      @Nullable String code,
      @Nullable String action) {}

  // Jackson fills a stored operation's fields, and Outbox.accept a new one's.
  @SuppressWarnings("NullAway.Init")
  Operation() {}

  public String operationId() {
    return operationId;
  }

  public String tenantId() {
    return tenantId;
  }

  public OperationKind kind() {
    return kind;
  }

  public String externalId() {
    return externalId;
  }

  /** For a payment, the invoice it pays; otherwise null. */
  public @Nullable String invoiceExternalId() {
    return parentExternalId;
  }

  public OperationState state() {
    return state;
  }

  public Map<String, String> xeroIds() {
    return Map.copyOf(xero);
  }

  public List<String> messages() {
    return List.copyOf(messages);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  public @Nullable String action() {
    return action;
  }

  public @Nullable String actionUrl() {
    return actionUrl;
  }

  public @Nullable String code() {
    return code;
  }

  public int xeroCalls() {
    return xeroCalls;
  }

  public boolean skipped() {
    return skipped;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public @Nullable Instant finishedAt() {
    return finishedAt;
  }

  void finish(
      OperationState terminal,
      List<String> msgs,
      @Nullable String problemCode,
      @Nullable String act,
      @Nullable String url,
      Instant now) {
    state = terminal;
    messages = new ArrayList<>(msgs);
    code = problemCode;
    action = act;
    actionUrl = url;
    finishedAt = now;
    updatedAt = now;
  }

  String toDocument() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("operation could not be serialised", e);
    }
  }

  static Operation fromDocument(String document, long version) {
    try {
      Operation op = Json.MAPPER.readValue(document, Operation.class);
      op.version = version;
      return op;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored operation is not readable", e);
    }
  }

  /** The body of GET /operations/{id}, and of the notification on a terminal state. */
  public ObjectNode toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("operationId", operationId);
    n.put("tenantId", tenantId);
    n.put("kind", kind.name());
    n.put("externalId", externalId);
    if (parentExternalId != null) {
      n.put("invoiceExternalId", parentExternalId);
    }
    n.put("state", state.name());
    if (skipped) {
      n.put("skipped", true);
    }
    n.set("xero", Json.MAPPER.valueToTree(xero));
    var msgs = n.putArray("messages");
    messages.forEach(msgs::add);
    var warned = n.putArray("warnings");
    warnings.forEach(warned::add);
    if (kind == OperationKind.INVOICE_HISTORY) {
      var els = n.putArray("elements");
      for (Element e : elements) {
        ObjectNode el = els.addObject();
        el.put("invoiceId", e.externalId());
        el.put("state", e.state().name());
        el.set("xero", Json.MAPPER.valueToTree(e.xero()));
        var m = el.putArray("messages");
        e.messages().forEach(m::add);
        if (e.code() != null) {
          el.put("code", e.code());
        }
        if (e.action() != null) {
          el.put("action", e.action());
        }
      }
    }
    if (code != null) {
      n.put("code", code);
    }
    if (action != null) {
      n.put("action", action);
    }
    if (actionUrl != null) {
      n.put("actionUrl", actionUrl);
    }
    n.put("attempts", attempts);
    if (holds > 0) {
      n.put("heldBack", holds);
    }
    n.put("xeroCalls", xeroCalls);
    n.put("createdAt", createdAt.toString());
    if (startedAt != null) {
      n.put("startedAt", startedAt.toString());
    }
    n.put("updatedAt", updatedAt.toString());
    if (finishedAt != null) {
      n.put("finishedAt", finishedAt.toString());
    }
    if (!state.isTerminal() && deadline != null) {
      n.put("deadline", deadline.toString());
    }
    return n;
  }

  /**
   * The body of GET /operations/{id} for a write still open: {@link #toJson} with its place in the
   * tenant's queue ({@code finished} of the tenant's writes have ended since) and the time it
   * expects to go, at {@code perMinute} writes a minute or when its hold ends, whichever is later.
   */
  public ObjectNode toJson(long finished, int perMinute, Instant now) {
    ObjectNode n = toJson();
    if (state.isTerminal() || ticket <= 0) {
      return n;
    }
    long position = Math.max(1, ticket - finished);
    Instant expected = now.plusMillis((position - 1) * 60_000L / Math.max(1, perMinute));
    if (heldUntil != null && heldUntil.isAfter(expected)) {
      expected = heldUntil;
    }
    ObjectNode queue = n.putObject("queue");
    queue.put("position", position);
    queue.put("expectedAt", expected.toString());
    if (heldBy != null) {
      queue.put("heldBy", heldBy);
    }
    return n;
  }
}
