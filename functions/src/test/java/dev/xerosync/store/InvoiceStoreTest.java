package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  static XeroInvoice invoice(
      String id,
      String contact,
      String status,
      String total,
      String due,
      Instant updated,
      List<XeroPayment> payments) {
    BigDecimal t = new BigDecimal(total);
    BigDecimal paid =
        payments.stream().map(XeroPayment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new XeroInvoice(
        id,
        "INV-" + id.substring(0, 4),
        "ref",
        "ACCREC",
        status,
        contact,
        "Acme",
        LocalDate.of(2026, 10, 1),
        LocalDate.of(2026, 10, 31),
        "NZD",
        t,
        BigDecimal.ZERO,
        t,
        new BigDecimal(due),
        paid,
        BigDecimal.ZERO,
        null,
        updated,
        payments,
        List.of());
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
            store.upsert(tenant, invoice(id, contact, "AUTHORISED", "100", "100", t1, List.of())))
        .isEqualTo(UpsertOutcome.CREATED);
    assertThat(store.upsert(tenant, invoice(id, contact, "PAID", "100", "0", t2, paid)))
        .isEqualTo(UpsertOutcome.UPDATED);
    assertThat(
            store.upsert(tenant, invoice(id, contact, "AUTHORISED", "100", "100", t1, List.of())))
        .isEqualTo(UpsertOutcome.STALE);
    assertThat(store.upsert(tenant, invoice(id, contact, "PAID", "100", "0", t2, paid)))
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

  @Test
  void totalsStayExactUnderConcurrentOutOfOrderUpdates() throws Exception {
    String tenant = UUID.randomUUID().toString();
    assertTotalsExactAfter(
        tenant,
        (versions, pool) -> {
          List<Future<?>> done = new ArrayList<>();
          for (XeroInvoice v : versions) {
            done.add(pool.submit(() -> store.upsert(tenant, v)));
          }
          return done;
        });
  }

  @Test
  void batchesAndSingleUpsertsRacingEachOtherKeepTotalsAndAgingExact() throws Exception {
    String tenant = UUID.randomUUID().toString();
    Random sizes = new Random(7);
    assertTotalsExactAfter(
        tenant,
        (versions, pool) -> {
          // Pages of 1 to 60 versions (some with one invoice twice), interleaved with single
          // upserts, so batch transactions lose races to each other and to upsert.
          List<Future<?>> done = new ArrayList<>();
          for (int from = 0; from < versions.size(); ) {
            int n = 1 + sizes.nextInt(60);
            List<XeroInvoice> page = versions.subList(from, Math.min(versions.size(), from + n));
            from += n;
            if (page.size() == 1) {
              done.add(pool.submit(() -> store.upsert(tenant, page.get(0))));
            } else {
              done.add(pool.submit(() -> store.upsertAll(tenant, List.copyOf(page))));
            }
          }
          return done;
        });
    // The tenant's aging ledger holds exactly what is still due.
    var ledger =
        table
            .dynamoDb()
            .query(
                r ->
                    r.tableName(table.name())
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                            java.util.Map.of(
                                ":pk",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                    Keys.agingPk(tenant)))))
            .items();
    long unpaid = ledger.stream().mapToLong(i -> Long.parseLong(i.get("unpaidCount").n())).sum();
    BigDecimal due =
        ledger.stream()
            .map(i -> new BigDecimal(i.get("unpaidAmount").n()))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    long expectedUnpaid = 0;
    BigDecimal expectedDue = BigDecimal.ZERO;
    for (var f : lastFinals) {
      if (f.status().equals("AUTHORISED")) {
        expectedUnpaid++;
        expectedDue = expectedDue.add(f.amountDue());
      }
    }
    assertThat(unpaid).isEqualTo(expectedUnpaid);
    assertThat(due).isEqualByComparingTo(expectedDue);
  }

  @FunctionalInterface
  private interface Writer {
    List<Future<?>> write(List<XeroInvoice> versions, ExecutorService pool) throws Exception;
  }

  private static List<XeroInvoice> lastFinals;

  private static void assertTotalsExactAfter(String tenant, Writer writer) throws Exception {
    String contactA = UUID.randomUUID().toString();
    String contactB = UUID.randomUUID().toString();
    Random random = new Random(42);
    List<XeroInvoice> versions = new ArrayList<>();
    List<XeroInvoice> finals = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = UUID.randomUUID().toString();
      Instant base = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i);
      XeroInvoice last = null;
      // Each invoice goes through versions: open, part paid, moved to another contact, paid or
      // voided.
      for (int v = 0; v < 5; v++) {
        String contact = random.nextBoolean() ? contactA : contactB;
        String status = v == 4 && random.nextBoolean() ? "PAID" : v == 4 ? "VOIDED" : "AUTHORISED";
        String total = Integer.toString(100 + i);
        String due =
            status.equals("PAID") || status.equals("VOIDED")
                ? "0"
                : Integer.toString(100 + i - v * 10);
        last = invoice(id, contact, status, total, due, base.plusSeconds(3600L * v), List.of());
        versions.add(last);
      }
      finals.add(last);
    }
    Collections.shuffle(versions, random);
    lastFinals = finals;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<?> f : writer.write(versions, pool)) {
        f.get();
      }
    }

    for (String contact : List.of(contactA, contactB)) {
      List<XeroInvoice> mine = finals.stream().filter(f -> f.contactId().equals(contact)).toList();
      long paidCount = mine.stream().filter(f -> f.status().equals("PAID")).count();
      BigDecimal paidAmount =
          mine.stream()
              .filter(f -> f.status().equals("PAID"))
              .map(XeroInvoice::total)
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      long unpaidCount = mine.stream().filter(f -> f.status().equals("AUTHORISED")).count();
      BigDecimal unpaidAmount =
          mine.stream()
              .filter(f -> f.status().equals("AUTHORISED"))
              .map(XeroInvoice::amountDue)
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      ContactTotals totals =
          store.totals(tenant, contact).stream()
              .findFirst()
              .orElse(new ContactTotals("ACCREC", "NZD", 0, BigDecimal.ZERO, 0, BigDecimal.ZERO));
      assertThat(totals.paidCount()).as("paid count of " + contact).isEqualTo(paidCount);
      assertThat(totals.paidAmount())
          .as("paid amount of " + contact)
          .isEqualByComparingTo(paidAmount);
      assertThat(totals.unpaidCount()).as("unpaid count of " + contact).isEqualTo(unpaidCount);
      assertThat(totals.unpaidAmount())
          .as("unpaid amount of " + contact)
          .isEqualByComparingTo(unpaidAmount);
    }
    for (XeroInvoice f : finals) {
      assertThat(store.get(tenant, f.invoiceId()).orElseThrow().updatedDateUtc())
          .isEqualTo(f.updatedDateUtc());
    }
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
