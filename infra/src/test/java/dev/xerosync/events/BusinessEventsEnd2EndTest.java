package dev.xerosync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.ledger.InvoiceEdit;
import dev.xerosync.store.DueDateIndex;
import dev.xerosync.testsupport.EventReceiver;
import dev.xerosync.testsupport.LocalEvents;
import dev.xerosync.testsupport.StackQueues;
import dev.xerosync.testsupport.StandardWebhooksCheck;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every event type end to end, on one stack: a change made in the simulated Xero (or the clock, for
 * {@code invoice.overdue} and {@code invoice.due_soon}) travels through Xero's webhook, the sync
 * worker, the derivation in the store's transaction, the event queue and EventDeliveryFunction to a
 * subscriber of every type. Each scenario waits until the stack is idle, then checks its subject's
 * events exactly (types, in order, each id once), their bodies, and their signatures: our receiver
 * verifies each request, and npm's {@code standardwebhooks} verifies them all again ({@link
 * StandardWebhooksCheck}). The last test replays the tenant's events and compares them with what
 * was delivered.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BusinessEventsEnd2EndTest {
  private static final String SAAS = "events-e2e-saas";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> QUEUES =
      List.of("SyncQueue", "WriteQueue", "NotificationQueue", "EventQueue");

  /** DueDateFunction's clock: the real one, moved ahead by the test. */
  private static final class MovedClock extends Clock {
    private volatile Duration ahead = Duration.ZERO;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(ahead);
    }

    void set(Instant at) {
      ahead = Duration.between(Instant.now(), at);
    }
  }

  private static final MovedClock CLOCK = new MovedClock();
  private static LocalStack stack;
  private static EventReceiver receiver;
  private static SimOrganisation org;
  private static String tenant;
  private static String customer;
  private static LocalDate today;

  @BeforeAll
  static void start() throws Exception {
    StandardWebhooksCheck.assumeAvailable();
    stack =
        LocalStack.start(
            LocalStack.Options.defaults()
                .withHandler("DueDateFunction", env -> new DueDateHandler(env, CLOCK)));
    receiver = new EventReceiver();
    receiver.subscribe(
        stack.apiUrl(),
        stack.adminApiKey(),
        SAAS,
        "invoice.*",
        "credit.*",
        "contact.*",
        "connection.*",
        "sync.*",
        "write.*");
    org = stack.xero().createOrganisation("Events End2End Ltd");
    tenant = org.tenantId();
    today = LocalDate.now(org.timezone());
    customer = org.createContact("Customer");
    LocalEvents.own(stack, tenant, SAAS);
    stack.connect(org);
    // Every scenario starts from a connected organisation, its timezone stored.
    await(
        () -> eventsOf(tenant).stream().map(e -> e.path("type").asText()).toList(),
        types -> types.contains("sync.initial_complete"),
        "the initial sync");
  }

  @AfterAll
  static void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theInitialSyncsNotificationArrivesOnTheSameChannelOnce() throws Exception {
    List<JsonNode> events = settled(tenant, "sync.initial_complete");
    JsonNode n = events.get(0);
    assertThat(n.path("tenantId").asText()).isEqualTo(tenant);
    assertThat(n.path("saasTenantId").asText()).isEqualTo(SAAS);
    assertThat(n.path("status").asText()).isEqualTo("CONNECTED");
  }

  /**
   * An invoice created already AUTHORISED is two events: {@code invoice.created}, then {@code
   * invoice.authorised}, so a consumer of either type alone hears of it (docs/events.md).
   */
  @Test
  void anInvoiceCreatedAuthorisedIsCreatedThenAuthorised() throws Exception {
    String invoice = authorised("120.00", today.plusDays(30));
    List<JsonNode> events = settled(invoice, "invoice.created", "invoice.authorised");
    for (JsonNode e : events) {
      assertInvoice(e, invoice, "AUTHORISED");
      assertThat(e.path("data").path("total").decimalValue()).isEqualByComparingTo("120.00");
    }
    assertThat(events.get(0).hasNonNull("previous")).as("nothing preceded it").isFalse();
    assertThat(events.get(0).path("id").asText()).isNotEqualTo(events.get(1).path("id").asText());
    // The library refuses what was not signed: the first delivery with its body altered.
    EventReceiver.Received d = deliveriesOf(invoice).get(0);
    var altered =
        new EventReceiver.Received(
            d.id(), d.body(), d.atNanos(), d.timestamp(), d.raw() + " ", d.signature());
    assertThat(StandardWebhooksCheck.refused(receiver.secret(), List.of(altered))).hasSize(1);
  }

  @Test
  void aDraftIsCreatedThenAuthorisedUpdatedAndVoided() throws Exception {
    String invoice =
        org.createDraftInvoice(
            customer, "EV-DRAFT-1", today, today.plusDays(30), new BigDecimal("80.00"), null);
    settled(invoice, "invoice.created");
    org.authorise(invoice);
    settled(invoice, "invoice.created", "invoice.authorised");
    org.editInvoice(invoice, new InvoiceEdit(null, "PO-4711", null, null, null, null));
    JsonNode updated =
        settled(invoice, "invoice.created", "invoice.authorised", "invoice.updated").get(2);
    assertInvoice(updated, invoice, "AUTHORISED");
    assertThat(updated.path("data").path("reference").asText()).isEqualTo("PO-4711");
    assertThat(updated.path("previous").has("reference")).as(updated.toString()).isTrue();
    assertThat(updated.path("previous").path("reference").asText("")).as("none before").isEmpty();
    org.voidInvoice(invoice);
    JsonNode voided =
        settled(
                invoice,
                "invoice.created",
                "invoice.authorised",
                "invoice.updated",
                "invoice.voided")
            .get(3);
    assertInvoice(voided, invoice, "VOIDED");
    assertThat(voided.path("previous").path("status").asText()).isEqualTo("AUTHORISED");
  }

  @Test
  void aDeletedDraftIsCreatedThenDeleted() throws Exception {
    String invoice =
        org.createDraftInvoice(
            customer, "EV-DRAFT-2", today, today.plusDays(30), new BigDecimal("15.00"), null);
    settled(invoice, "invoice.created");
    org.delete(invoice);
    JsonNode deleted = settled(invoice, "invoice.created", "invoice.deleted").get(1);
    assertInvoice(deleted, invoice, "DELETED");
    assertThat(deleted.path("previous").path("status").asText()).isEqualTo("DRAFT");
  }

  @Test
  void paymentsArePartPaidThenPaidThenRemoved() throws Exception {
    String invoice = authorised("100.00", today.plusDays(30));
    settled(invoice, "invoice.created", "invoice.authorised");
    String first = org.pay(invoice, new BigDecimal("40.00"), today, "first");
    JsonNode partPaid =
        settled(invoice, "invoice.created", "invoice.authorised", "invoice.part_paid").get(2);
    assertInvoice(partPaid, invoice, "AUTHORISED");
    assertThat(partPaid.path("data").path("instalment").path("paymentId").asText())
        .isEqualTo(first);
    assertThat(partPaid.path("data").path("amountDue").decimalValue())
        .isEqualByComparingTo("60.00");
    assertThat(partPaid.path("previous").path("amountDue").decimalValue())
        .isEqualByComparingTo("100.00");
    String last = org.pay(invoice, new BigDecimal("60.00"), today, "last");
    JsonNode paid =
        settled(
                invoice,
                "invoice.created",
                "invoice.authorised",
                "invoice.part_paid",
                "invoice.paid")
            .get(3);
    assertInvoice(paid, invoice, "PAID");
    assertThat(paid.path("data").path("instalment").path("paymentId").asText()).isEqualTo(last);
    org.reversePayment(last);
    JsonNode removed =
        settled(
                invoice,
                "invoice.created",
                "invoice.authorised",
                "invoice.part_paid",
                "invoice.paid",
                "invoice.payment_removed")
            .get(4);
    assertInvoice(removed, invoice, "AUTHORISED");
    assertThat(removed.path("data").path("instalment").path("paymentId").asText()).isEqualTo(last);
    assertThat(removed.path("data").path("amountDue").decimalValue()).isEqualByComparingTo("60.00");
  }

  @Test
  void aCreditNoteIsAllocatedUnallocatedAndRefunded() throws Exception {
    String invoice = authorised("100.00", today.plusDays(30));
    String credit = org.creditNoteFor(customer, new BigDecimal("50.00"), today);
    settled(invoice, "invoice.created", "invoice.authorised");
    String allocation = org.allocate(credit, invoice, new BigDecimal("20.00"), today);
    JsonNode allocated = settled(credit, "credit.allocated").get(0);
    assertCredit(allocated, credit);
    assertThat(allocated.path("data").path("allocation").path("amount").decimalValue())
        .isEqualByComparingTo("20.00");
    assertThat(allocated.path("data").path("allocation").path("invoiceId").asText())
        .isEqualTo(invoice);
    org.deallocate(credit, allocation);
    JsonNode unallocated = settled(credit, "credit.allocated", "credit.unallocated").get(1);
    assertCredit(unallocated, credit);
    assertThat(unallocated.path("data").path("allocation").path("amount").decimalValue())
        .isEqualByComparingTo("20.00");
    org.refundCredit(credit, new BigDecimal("10.00"), today);
    JsonNode refunded =
        settled(credit, "credit.allocated", "credit.unallocated", "credit.refunded").get(2);
    assertCredit(refunded, credit);
    assertThat(refunded.path("data").path("remainingCredit").decimalValue())
        .isEqualByComparingTo("40.00");
    assertThat(refunded.path("previous").path("remainingCredit").decimalValue())
        .isEqualByComparingTo("50.00");
    // Credit moved on the invoice, not its own facts: its events are still the first two.
    settled(invoice, "invoice.created", "invoice.authorised");
  }

  @Test
  void contactsAreArchivedAndMergedNamingTheSurvivor() throws Exception {
    String leaving = org.createContact("Leaving Ltd");
    String duplicate = org.createContact("Duplicate Ltd");
    String survivor = org.createContact("Survivor Ltd");
    String moved =
        org.createAuthorisedInvoice(duplicate, today, today.plusDays(30), new BigDecimal("30.00"));
    settled(moved, "invoice.created", "invoice.authorised");
    org.archiveContact(leaving);
    JsonNode archived = settled(leaving, "contact.archived").get(0);
    assertContact(archived, leaving);
    assertThat(archived.path("data").path("status").asText()).isEqualTo("ARCHIVED");
    org.mergeContacts(duplicate, survivor);
    JsonNode merged = settled(duplicate, "contact.merged").get(0);
    assertContact(merged, duplicate);
    assertThat(merged.path("data").path("mergedToContactId").asText()).isEqualTo(survivor);
    // Its invoice moved to the survivor: a change of the invoice's own facts.
    JsonNode updated =
        settled(moved, "invoice.created", "invoice.authorised", "invoice.updated").get(2);
    assertThat(updated.path("data").path("contact").path("contactId").asText()).isEqualTo(survivor);
    assertThat(updated.path("previous").path("contact").path("contactId").asText())
        .isEqualTo(duplicate);
    assertThat(eventsOf(survivor)).as("the survivor itself did not change").isEmpty();
  }

  @Test
  void ourOwnWriteIsItsBusinessEventsOnceAndItsWriteStateOnce() throws Exception {
    String body =
        "{\"contact\":{\"xeroContactId\":\""
            + customer
            + "\"},\"status\":\"AUTHORISED\",\"date\":\""
            + today
            + "\",\"dueDate\":\""
            + today.plusDays(30)
            + "\",\"lineItems\":[{\"description\":\"Widget\",\"quantity\":2,\"unitAmount\":25,"
            + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]}";
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(stack.apiUrl() + "/tenants/" + tenant + "/invoices/web-ev-1"))
                    .header("x-api-key", apiKey())
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String operation = Json.MAPPER.readTree(response.body()).path("operationId").asText();
    JsonNode succeeded = settled(operation, "write.succeeded").get(0);
    assertThat(succeeded.path("tenantId").asText()).isEqualTo(tenant);
    assertThat(succeeded.path("saasTenantId").asText()).isEqualTo(SAAS);
    String invoice = succeeded.path("xero").path("invoiceId").asText();
    List<JsonNode> events = settled(invoice, "invoice.created", "invoice.authorised");
    assertInvoice(events.get(1), invoice, "AUTHORISED");
    assertThat(events.get(1).path("data").path("invoiceNumber").asText()).isEqualTo("web-ev-1");
  }

  /**
   * {@code invoice.due_soon} at the start of the day 3 days before the due date, {@code
   * invoice.overdue} at the start of the day after it, both in the organisation's timezone, by
   * DueDateFunction's clock; never for a paid invoice, and once however often it runs.
   */
  @Test
  void theClockMakesDueSoonAndOverdueOnceAndNotForPaidInvoices() throws Exception {
    ZoneId zone = org.timezone();
    String dueSoon = authorised("70.00", today.plusDays(4));
    String overdue = authorised("90.00", today.plusDays(1));
    String paid = authorised("10.00", today.plusDays(1));
    settled(paid, "invoice.created", "invoice.authorised");
    org.pay(paid, new BigDecimal("10.00"), today, "settled");
    settled(dueSoon, "invoice.created", "invoice.authorised");
    settled(overdue, "invoice.created", "invoice.authorised");
    settled(paid, "invoice.created", "invoice.authorised", "invoice.paid");

    Instant soonLine = DueDateIndex.dueSoonAt(today.plusDays(4), zone, 3);
    Instant overdueLine = DueDateIndex.overdueAt(today.plusDays(1), zone);
    for (Instant at :
        List.of(
            soonLine.minus(Duration.ofMinutes(5)),
            soonLine.plus(Duration.ofMinutes(1)),
            soonLine.plus(Duration.ofMinutes(16)),
            overdueLine.minus(Duration.ofMinutes(5)),
            overdueLine.plus(Duration.ofMinutes(1)),
            overdueLine.plus(Duration.ofMinutes(16)))) {
      CLOCK.set(at);
      stack.schedules().fire("DueDateFunction");
    }
    CLOCK.set(Instant.now());

    JsonNode soon =
        settled(dueSoon, "invoice.created", "invoice.authorised", "invoice.due_soon").get(2);
    assertInvoice(soon, dueSoon, "AUTHORISED");
    assertThat(Instant.parse(soon.path("occurredAt").asText())).isEqualTo(soonLine);
    JsonNode late =
        settled(overdue, "invoice.created", "invoice.authorised", "invoice.overdue").get(2);
    assertInvoice(late, overdue, "AUTHORISED");
    assertThat(Instant.parse(late.path("occurredAt").asText())).isEqualTo(overdueLine);
    assertThat(late.path("data").path("overdue").asBoolean()).isTrue();
    settled(paid, "invoice.created", "invoice.authorised", "invoice.paid");
  }

  /** Replay serves what delivery sent: the same bodies, in the same order per subject. */
  @Test
  @Order(Integer.MAX_VALUE)
  void replayReturnsTheDeliveredEventsInTheSameOrder() throws Exception {
    awaitIdle();
    List<JsonNode> replayed = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          get(
              "/tenants/"
                  + tenant
                  + "/events?limit=7"
                  + (cursor == null ? "" : "&after=" + cursor));
      page.path("events").forEach(replayed::add);
      cursor = page.path("hasMore").asBoolean() ? page.path("nextCursor").asText() : null;
    } while (cursor != null);

    Map<String, JsonNode> delivered = new LinkedHashMap<>();
    for (EventReceiver.Received r : receiver.received()) {
      if (r.body().has("sequence")) {
        delivered.put(r.id(), r.body());
      }
    }
    assertThat(replayed).as("business events were delivered").hasSizeGreaterThan(20);
    assertThat(replayed.stream().map(e -> e.path("id").asText()))
        .containsExactlyInAnyOrderElementsOf(delivered.keySet());
    long last = 0;
    for (JsonNode e : replayed) {
      assertThat(e).isEqualTo(delivered.get(e.path("id").asText()));
      assertThat(e.path("sequence").asLong()).as("in sequence order").isGreaterThan(last);
      last = e.path("sequence").asLong();
    }
    Set<String> subjects = new HashSet<>();
    replayed.forEach(e -> subjects.add(e.path("subjectId").asText()));
    for (String subject : subjects) {
      assertThat(
              eventsOf(subject).stream()
                  .filter(e -> e.has("sequence"))
                  .map(e -> e.path("id").asText()))
          .as("delivered in replay's order: " + subject)
          .containsExactlyElementsOf(
              replayed.stream()
                  .filter(e -> e.path("subjectId").asText().equals(subject))
                  .map(e -> e.path("id").asText())
                  .toList());
    }
  }

  // ---- helpers ----

  private static String authorised(String total, LocalDate due) {
    return org.createAuthorisedInvoice(customer, today, due, new BigDecimal(total));
  }

  /**
   * Waits for {@code subject}'s events to include {@code types}, then for the stack to go idle, and
   * returns them after checking they are exactly those types in that order, each id once, each
   * accepted by our verifier and by the standardwebhooks library.
   */
  private static List<JsonNode> settled(String subject, String... types) throws Exception {
    await(
        () -> eventsOf(subject).stream().map(e -> e.path("type").asText()).toList(),
        got -> got.size() >= types.length,
        subject + " to have " + List.of(types));
    awaitIdle();
    List<EventReceiver.Received> deliveries = deliveriesOf(subject);
    assertThat(deliveries.stream().map(r -> r.body().path("type").asText()))
        .as("the events of " + subject + ", each once")
        .containsExactly(types);
    assertThat(deliveries.stream().map(EventReceiver.Received::id).distinct())
        .hasSize(types.length);
    assertThat(receiver.badSignatures()).as("refused by our verifier").isZero();
    assertThat(StandardWebhooksCheck.refused(receiver.secret(), deliveries))
        .as("refused by the standardwebhooks library")
        .isEmpty();
    for (EventReceiver.Received r : deliveries) {
      assertThat(r.body().path("id").asText(r.id())).isEqualTo(r.id());
      assertThat(r.body().path("type").asText()).isIn((Object[]) types);
    }
    return deliveries.stream().map(EventReceiver.Received::body).toList();
  }

  /**
   * A business event names its subject; a notification is about its tenant, or for {@code write.*}
   * its operation (the message groups NotificationFunction gives them).
   */
  private static String subjectOf(JsonNode b) {
    return b.has("subjectId")
        ? b.path("subjectId").asText()
        : b.path("type").asText().startsWith("write.")
            ? b.path("operationId").asText()
            : b.path("tenantId").asText();
  }

  private static List<EventReceiver.Received> deliveriesOf(String subject) {
    return receiver.received().stream().filter(r -> subjectOf(r.body()).equals(subject)).toList();
  }

  private static List<JsonNode> eventsOf(String subject) {
    return deliveriesOf(subject).stream().map(EventReceiver.Received::body).toList();
  }

  private static void assertInvoice(JsonNode e, String invoice, String status) {
    assertThat(e.path("tenantId").asText()).isEqualTo(tenant);
    assertThat(e.path("subjectId").asText()).isEqualTo(invoice);
    assertThat(e.path("data").path("invoiceId").asText()).isEqualTo(invoice);
    assertThat(e.path("data").path("status").asText()).as(e.toString()).isEqualTo(status);
    assertTimes(e);
  }

  private static void assertCredit(JsonNode e, String credit) {
    assertThat(e.path("tenantId").asText()).isEqualTo(tenant);
    assertThat(e.path("subjectId").asText()).isEqualTo(credit);
    assertThat(e.path("data").path("creditId").asText()).isEqualTo(credit);
    assertTimes(e);
  }

  private static void assertContact(JsonNode e, String contact) {
    assertThat(e.path("tenantId").asText()).isEqualTo(tenant);
    assertThat(e.path("subjectId").asText()).isEqualTo(contact);
    assertThat(e.path("data").path("contactId").asText()).isEqualTo(contact);
    assertThat(e.path("previous").path("status").asText()).isEqualTo("ACTIVE");
    assertTimes(e);
  }

  private static void assertTimes(JsonNode e) {
    Instant occurred = Instant.parse(e.path("occurredAt").asText());
    Instant detected = Instant.parse(e.path("detectedAt").asText());
    assertThat(occurred).isAfter(Instant.now().minus(Duration.ofHours(1)));
    assertThat(detected).isAfterOrEqualTo(occurred.minusSeconds(5));
  }

  private static String apiKey;

  private static synchronized String apiKey() {
    if (apiKey == null) {
      apiKey = stack.issueApiKey(tenant, "events-e2e").secret();
    }
    return apiKey;
  }

  private static JsonNode get(String path) throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                    .header("x-api-key", apiKey())
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body());
  }

  /** Xero's webhooks delivered and every queue of the stack empty, twice a second apart. */
  private static void awaitIdle() throws InterruptedException {
    stack.xero().awaitDeliveriesIdle(Duration.ofSeconds(20));
    await(
        () -> {
          try {
            if (!queuesEmpty()) {
              return false;
            }
            Thread.sleep(1000);
            return queuesEmpty();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        },
        idle -> idle,
        "the stack to go idle");
  }

  private static boolean queuesEmpty() {
    return StackQueues.empty(stack, QUEUES);
  }

  private static <T> T await(Supplier<T> value, java.util.function.Predicate<T> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T v = value.get();
    while (!done.test(v)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + ": " + v);
      }
      Thread.sleep(100);
      v = value.get();
    }
    return v;
  }
}
