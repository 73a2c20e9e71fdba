package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.notify.BusinessEvent;
import dev.xerosync.notify.BusinessEvents;
import dev.xerosync.notify.EventRelay;
import dev.xerosync.notify.EventTypes;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invoice store logging its changes' business events against the DynamoDB stand-in: once per
 * change, in order, published after the commit, and kept for the next run when publishing fails.
 */
class EventLogTest {
  private static LocalTable table;
  private static EventLog log;

  private final List<BusinessEvent> published = new ArrayList<>();
  private final AtomicBoolean deliveryDown = new AtomicBoolean();
  private EventRelay relay;
  private InvoiceStore store;

  private static final Instant T1 = Instant.parse("2026-11-01T10:00:00Z");
  private static final XeroPayment P1 =
      new XeroPayment("pay-1", LocalDate.of(2026, 11, 2), new BigDecimal("40"), "first");
  private static final XeroPayment P2 =
      new XeroPayment("pay-2", LocalDate.of(2026, 11, 3), new BigDecimal("60"), "rest");

  @BeforeAll
  static void start() {
    table = LocalTable.get();
    log = new EventLog(table.dynamoDb(), table.name(), Clock.systemUTC());
  }

  private String tenant() {
    relay =
        new EventRelay(
            log,
            events -> {
              if (deliveryDown.get()) {
                throw new IllegalStateException("delivery down");
              }
              published.addAll(events);
            });
    store =
        new InvoiceStore(
            table.dynamoDb(), table.name(), Clock.systemUTC(), new BusinessEvents(relay));
    return UUID.randomUUID().toString();
  }

  private static XeroInvoice inv(
      String id, String status, String due, Instant at, List<XeroPayment> p) {
    return Invoices.version(id, "contact-1", status, "100", due, at, p);
  }

  @Test
  void eachChangeLogsItsEventsOnceInOrderAndPublishesThem() {
    String tenant = tenant();
    String id = UUID.randomUUID().toString();
    store.upsert(tenant, inv(id, "AUTHORISED", "100", T1, List.of()));
    store.upsert(tenant, inv(id, "AUTHORISED", "60", T1.plusSeconds(60), List.of(P1)));
    // Seen again (a replayed webhook, a sweep): the store has it, nothing new.
    store.upsert(tenant, inv(id, "AUTHORISED", "60", T1.plusSeconds(60), List.of(P1)));
    store.upsert(tenant, inv(id, "PAID", "0", T1.plusSeconds(120), List.of(P1, P2)));

    assertThat(published)
        .extracting(BusinessEvent::type)
        .containsExactly(
            EventTypes.INVOICE_CREATED,
            EventTypes.INVOICE_AUTHORISED,
            EventTypes.INVOICE_PART_PAID,
            EventTypes.INVOICE_PAID);
    assertThat(published).extracting(BusinessEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
    assertThat(published).allSatisfy(e -> assertThat(e.tenantId()).isEqualTo(tenant));
    EventLog.Page replay = log.page(tenant, 0, 10, null);
    assertThat(replay.events())
        .extracting(LoggedEvent::id)
        .containsExactlyElementsOf(published.stream().map(BusinessEvent::id).toList());
    assertThat(replay.more()).isFalse();
    assertThat(log.head(tenant).published()).isEqualTo(4);
  }

  @Test
  void ourWritesCopyAndXerosEchoOfItLogOnePaidEvent() {
    String tenant = tenant();
    String id = UUID.randomUUID().toString();
    store.upsert(tenant, inv(id, "AUTHORISED", "100", T1, List.of()));
    Instant paidAt = T1.plusSeconds(60);
    // Read-your-write: the payment applied to our copy a millisecond before Xero's version.
    store.upsert(tenant, inv(id, "PAID", "0", paidAt.minusMillis(1), List.of(P1, P2)));
    store.upsert(tenant, inv(id, "PAID", "0", paidAt.plusMillis(5), List.of(P1, P2)));

    assertThat(published)
        .extracting(BusinessEvent::type)
        .containsExactly(
            EventTypes.INVOICE_CREATED, EventTypes.INVOICE_AUTHORISED, EventTypes.INVOICE_PAID);
  }

  @Test
  void eventsLoggedWhileDeliveryIsDownGoOutOnTheTenantsNextRunInOrder() {
    String tenant = tenant();
    String id = UUID.randomUUID().toString();
    deliveryDown.set(true);
    store.upsert(tenant, inv(id, "AUTHORISED", "100", T1, List.of()));
    assertThat(published).isEmpty();
    assertThat(log.head(tenant).last()).isEqualTo(2);

    deliveryDown.set(false);
    assertThat(relay.relay(tenant)).isEqualTo(2);
    assertThat(relay.relay(tenant)).isZero();
    assertThat(published)
        .extracting(BusinessEvent::type)
        .containsExactly(EventTypes.INVOICE_CREATED, EventTypes.INVOICE_AUTHORISED);
  }

  @Test
  void aBatchWritesItsChangesWithTheirEventsAndTheInitialSyncLogsNone() {
    String tenant = tenant();
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    store.historic().upsertAll(tenant, List.of(inv(a, "AUTHORISED", "100", T1, List.of())));
    assertThat(log.head(tenant).exists()).isFalse();

    store.upsertAll(
        tenant,
        List.of(
            inv(a, "AUTHORISED", "60", T1.plusSeconds(1), List.of(P1)),
            inv(b, "DRAFT", "100", T1, List.of())));
    assertThat(published)
        .extracting(BusinessEvent::type, BusinessEvent::subjectId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(EventTypes.INVOICE_PART_PAID, a),
            org.assertj.core.groups.Tuple.tuple(EventTypes.INVOICE_CREATED, b));
    assertThat(store.get(tenant, a).orElseThrow().amountDue()).isEqualByComparingTo("60");
  }

  @Test
  void replayPagesByLimitAndFiltersByType() {
    String tenant = tenant();
    for (int i = 0; i < 3; i++) {
      store.upsert(tenant, inv(UUID.randomUUID().toString(), "AUTHORISED", "100", T1, List.of()));
    }
    EventLog.Page first = log.page(tenant, 0, 4, null);
    assertThat(first.events()).hasSize(4);
    assertThat(first.more()).isTrue();
    EventLog.Page rest = log.page(tenant, first.through(), 4, null);
    assertThat(rest.events()).extracting(LoggedEvent::sequence).containsExactly(5L, 6L);
    assertThat(rest.more()).isFalse();

    EventLog.Page created = log.page(tenant, 0, 2, Set.of(EventTypes.INVOICE_AUTHORISED));
    assertThat(created.events()).extracting(LoggedEvent::sequence).containsExactly(2L, 4L);
    assertThat(
            log.page(tenant, created.through(), 2, Set.of(EventTypes.INVOICE_AUTHORISED)).events())
        .extracting(LoggedEvent::sequence)
        .containsExactly(6L);
  }
}
