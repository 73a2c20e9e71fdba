package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The invoice store against the DynamoDB stand-in, with the table created from template.yaml. */
class InvoiceStoreTest {
  private static LocalTable table;
  private static InvoiceStore store;

  @BeforeAll
  static void start() throws Exception {
    table = LocalTable.get();
    store = new InvoiceStore(table.dynamoDb(), table.name(), Clock.systemUTC());
  }

  @Test
  void anOlderOrRepeatedReadNeverOverwritesNewerData() {
    String tenant = UUID.randomUUID().toString();
    String id = UUID.randomUUID().toString();
    String contact = UUID.randomUUID().toString();
    Instant t1 = Instant.parse("2026-11-01T10:00:00Z");
    Instant t2 = t1.plusSeconds(60);
    var paid =
        List.of(
            new XeroPayment(
                UUID.randomUUID().toString(),
                LocalDate.of(2026, 11, 1),
                new BigDecimal("100"),
                "r"));

    assertThat(
            store.upsert(
                tenant, Invoices.version(id, contact, "AUTHORISED", "100", "100", t1, List.of())))
        .isEqualTo(UpsertOutcome.CREATED);
    assertThat(store.upsert(tenant, Invoices.version(id, contact, "PAID", "100", "0", t2, paid)))
        .isEqualTo(UpsertOutcome.UPDATED);
    assertThat(
            store.upsert(
                tenant, Invoices.version(id, contact, "AUTHORISED", "100", "100", t1, List.of())))
        .isEqualTo(UpsertOutcome.STALE);
    assertThat(store.upsert(tenant, Invoices.version(id, contact, "PAID", "100", "0", t2, paid)))
        .isEqualTo(UpsertOutcome.UNCHANGED);

    XeroInvoice stored = store.get(tenant, id).orElseThrow();
    assertThat(stored.status()).isEqualTo("PAID");
    assertThat(stored.payments()).hasSize(1);
    assertThat(store.totals(tenant, contact))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.paidCount()).isEqualTo(1);
              assertThat(t.paidAmount()).isEqualByComparingTo("100");
              assertThat(t.unpaidCount()).isZero();
              assertThat(t.unpaidAmount()).isEqualByComparingTo("0");
            });
  }

  /** An invoice moved to another contact: the panels of both contacts hear of it, each way. */
  @Test
  void aMovedInvoiceTellsTheContactItLeftAndTheOneItJoined() {
    String tenant = UUID.randomUUID().toString();
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    Instant t1 = Instant.parse("2026-11-01T10:00:00Z");
    List<@Nullable String> told = new ArrayList<>();
    ChangeEvents listening =
        new ChangeEvents() {
          @Override
          public List<EventDraft> derive(
              Subject subject, String tenantId, @Nullable ObjectNode before, ObjectNode after) {
            return List.of();
          }

          @Override
          public void logged(String tenantId) {}

          @Override
          public void committed(String tenantId, @Nullable String c) {
            told.add(c);
          }
        };
    var telling = new InvoiceStore(table.dynamoDb(), table.name(), Clock.systemUTC(), listening);
    String one = UUID.randomUUID().toString();
    String two = UUID.randomUUID().toString();
    telling.upsert(tenant, Invoices.version(one, first, "AUTHORISED", "100", "100", t1, List.of()));
    telling.upsertAll(
        tenant, List.of(Invoices.version(two, first, "AUTHORISED", "50", "50", t1, List.of())));
    told.clear();

    telling.upsert(
        tenant,
        Invoices.version(one, second, "AUTHORISED", "100", "100", t1.plusSeconds(60), List.of()));
    assertThat(told).containsExactlyInAnyOrder(second, first);
    told.clear();
    telling.upsertAll(
        tenant,
        List.of(
            Invoices.version(
                two, second, "AUTHORISED", "50", "50", t1.plusSeconds(60), List.of())));
    assertThat(told).containsExactlyInAnyOrder(second, first);
  }

  @Test
  void xeroEmptyStringsReadBackEmptyAndMissingFieldsStayMissing() throws Exception {
    String tenant = UUID.randomUUID().toString();
    String contact = UUID.randomUUID().toString();
    String cleared = UUID.randomUUID().toString();
    String never = UUID.randomUUID().toString();
    // As Xero sends them: a reference cleared in Xero is "", an invoice without one has no field.
    XeroInvoice withEmpty =
        XeroInvoice.fromJson(
            dev.xerosync.common.Json.MAPPER.readTree(
                xeroInvoice(
                    cleared,
                    contact,
                    "\"InvoiceNumber\":\"\",\"Reference\":\"\","
                        + "\"Payments\":[{\"PaymentID\":\"p-1\",\"Date\":\"/Date(1761955200000+0000)/\","
                        + "\"Amount\":10.00,\"Reference\":\"\"}],")));
    XeroInvoice without =
        XeroInvoice.fromJson(
            dev.xerosync.common.Json.MAPPER.readTree(xeroInvoice(never, contact, "")));
    store.upsert(tenant, withEmpty);
    store.upsert(tenant, without);

    var views = new InvoiceViews(table.dynamoDb(), table.name());
    XeroInvoice read = views.invoice(tenant, cleared).orElseThrow();
    assertThat(read.reference()).isEmpty();
    assertThat(read.invoiceNumber()).isEmpty();
    assertThat(read.payments().get(0).reference()).isEmpty();
    XeroInvoice absent = views.invoice(tenant, never).orElseThrow();
    assertThat(absent.reference()).isNull();
    assertThat(absent.invoiceNumber()).isNull();
    // An empty number never becomes an index key (DynamoDB refuses empty key strings): the invoice
    // is still listed by its contact.
    assertThat(views.invoices(tenant, List.of(cleared, never))).hasSize(2);
    assertThat(views.unpaid(tenant, contact)).hasSize(2);
  }

  private static String xeroInvoice(String id, String contact, String extra) {
    return "{\"InvoiceID\":\""
        + id
        + "\","
        + extra
        + "\"Type\":\"ACCREC\",\"Status\":\"AUTHORISED\",\"Contact\":{\"ContactID\":\""
        + contact
        + "\",\"Name\":\"Acme\"},\"DateString\":\"2026-11-01T00:00:00\","
        + "\"DueDateString\":\"2026-12-01T00:00:00\",\"CurrencyCode\":\"NZD\",\"SubTotal\":100.00,"
        + "\"TotalTax\":0.00,\"Total\":100.00,\"AmountDue\":90.00,\"AmountPaid\":10.00,"
        + "\"AmountCredited\":0.00,\"UpdatedDateUTC\":\"/Date(1764547200000+0000)/\"}";
  }
}
