package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroCredit;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A contact's credit notes listed and totalled beside its invoices, against the DynamoDB stand-in
 * with the table from template.yaml.
 */
class CreditNoteListingTest {
  static final LocalDate TODAY = LocalDate.parse("2026-11-21");
  static final Instant T1 = Instant.parse("2026-11-01T10:00:00Z");

  private static InvoiceStore invoices;
  private static CreditStore credits;
  private static InvoiceViews views;

  @BeforeAll
  static void start() {
    LocalTable table = LocalTable.get();
    invoices = new InvoiceStore(table.dynamoDb(), table.name(), Clock.systemUTC());
    credits = new CreditStore(table.dynamoDb(), table.name());
    views = new InvoiceViews(table.dynamoDb(), table.name());
  }

  static String id(int n) {
    return String.format("%08d-0000-4000-8000-%012d", n, n);
  }

  static XeroCredit creditNote(
      String id,
      String contact,
      String type,
      String status,
      LocalDate date,
      String total,
      String remaining,
      Instant updated) {
    return new XeroCredit(
        XeroAllocation.Kind.CREDIT_NOTE,
        id,
        "CN-" + id.substring(4, 8),
        "Returned goods",
        type,
        status,
        contact,
        "Acme",
        date,
        "NZD",
        new BigDecimal(total),
        new BigDecimal(remaining),
        updated,
        List.of(
            new XeroCredit.Allocation(
                "al-" + id,
                id(900),
                "INV-0900",
                new BigDecimal(total).subtract(new BigDecimal(remaining)),
                date)));
  }

  static ViewQuery query(InvoiceView view, ViewQuery.CreditNotes mode, int limit) {
    return new ViewQuery(
        view, Set.of(), "ACCREC", null, null, null, null, false, TODAY, limit, mode);
  }

  /** Every row of the listing, page by page as a client follows the cursor. */
  static List<String> all(String tenant, String contact, ViewQuery q) {
    List<String> ids = new ArrayList<>();
    Map<String, Map<String, AttributeValue>> positions = Map.of();
    Set<String> done = Set.of();
    for (int page = 0; page < 20; page++) {
      InvoiceViews.Page p = views.list(tenant, List.of(contact), q, positions, done);
      assertThat(p.rows()).hasSizeLessThanOrEqualTo(q.limit());
      for (ViewRow row : p.rows()) {
        ids.add(
            switch (row) {
              case ViewRow.Invoice(var inv) -> inv.invoiceId();
              case ViewRow.CreditNote(var c) -> "CN " + c.creditId();
            });
      }
      if (p.positions().isEmpty()) {
        return ids;
      }
      positions = p.positions();
      done = p.done();
    }
    throw new AssertionError("the listing never ended");
  }

  @Test
  void creditNotesJoinTheListingInDateOrderAcrossPagesOnlyWhenAskedFor() {
    String tenant = UUID.randomUUID().toString();
    String contact = UUID.randomUUID().toString();
    for (int i = 1; i <= 5; i++) {
      invoices.upsert(
          tenant,
          Invoices.authorised(
              id(i), contact, TODAY.minusDays(10L * i), TODAY.plusDays(30), "100.00", "0"));
    }
    // Dated between the invoices: one with credit left, one used up, one a draft, one a bill's.
    credits.upsert(
        tenant,
        creditNote(
            id(11),
            contact,
            "ACCRECCREDIT",
            "AUTHORISED",
            TODAY.minusDays(15),
            "50.00",
            "20.00",
            T1));
    credits.upsert(
        tenant,
        creditNote(
            id(12), contact, "ACCRECCREDIT", "PAID", TODAY.minusDays(35), "30.00", "0.00", T1));
    credits.upsert(
        tenant,
        creditNote(
            id(13), contact, "ACCRECCREDIT", "DRAFT", TODAY.minusDays(5), "10.00", "10.00", T1));
    credits.upsert(
        tenant,
        creditNote(
            id(14),
            contact,
            "ACCPAYCREDIT",
            "AUTHORISED",
            TODAY.minusDays(25),
            "70.00",
            "70.00",
            T1));

    assertThat(all(tenant, contact, query(InvoiceView.ALL, ViewQuery.CreditNotes.EXCLUDE, 2)))
        .containsExactly(id(1), id(2), id(3), id(4), id(5));
    assertThat(all(tenant, contact, query(InvoiceView.ALL, ViewQuery.CreditNotes.INCLUDE, 2)))
        .containsExactly(id(1), "CN " + id(11), id(2), id(3), "CN " + id(12), id(4), id(5));
    assertThat(all(tenant, contact, query(InvoiceView.ALL, ViewQuery.CreditNotes.ONLY, 1)))
        .containsExactly("CN " + id(11), "CN " + id(12));
    // Open: credit left, never overdue; paid: used up; draft: drafts.
    assertThat(all(tenant, contact, query(InvoiceView.OPEN, ViewQuery.CreditNotes.INCLUDE, 3)))
        .containsExactlyInAnyOrder(id(1), id(2), id(3), id(4), id(5), "CN " + id(11));
    assertThat(all(tenant, contact, query(InvoiceView.OVERDUE, ViewQuery.CreditNotes.ONLY, 3)))
        .isEmpty();
    assertThat(all(tenant, contact, query(InvoiceView.PAID, ViewQuery.CreditNotes.INCLUDE, 3)))
        .containsExactly("CN " + id(12));
    assertThat(all(tenant, contact, query(InvoiceView.DRAFT, ViewQuery.CreditNotes.INCLUDE, 3)))
        .containsExactly("CN " + id(13));
    ViewQuery bills =
        new ViewQuery(
            InvoiceView.ALL,
            Set.of(),
            "ACCPAY",
            null,
            null,
            null,
            null,
            false,
            TODAY,
            5,
            ViewQuery.CreditNotes.INCLUDE);
    assertThat(all(tenant, contact, bills)).containsExactly("CN " + id(14));
    ViewQuery byNumber =
        new ViewQuery(
            InvoiceView.ALL,
            Set.of(),
            "ACCREC",
            null,
            null,
            null,
            "cn-001",
            false,
            TODAY,
            5,
            ViewQuery.CreditNotes.INCLUDE);
    assertThat(all(tenant, contact, byNumber)).containsExactly("CN " + id(11), "CN " + id(12));
    ViewQuery dated =
        new ViewQuery(
            InvoiceView.ALL,
            Set.of(),
            "ACCREC",
            null,
            TODAY.minusDays(20),
            TODAY.minusDays(10),
            null,
            false,
            TODAY,
            5,
            ViewQuery.CreditNotes.INCLUDE);
    assertThat(all(tenant, contact, dated)).containsExactly(id(1), "CN " + id(11), id(2));
  }

  @Test
  void aCreditNoteRowKeepsItsReferenceAndWhereItWasAllocated() {
    String tenant = UUID.randomUUID().toString();
    String contact = UUID.randomUUID().toString();
    credits.upsert(
        tenant,
        creditNote(id(21), contact, "ACCRECCREDIT", "AUTHORISED", TODAY, "50.00", "20.00", T1));

    var page =
        views.list(
            tenant,
            List.of(contact),
            query(InvoiceView.UNPAID, ViewQuery.CreditNotes.INCLUDE, 10),
            Map.of(),
            Set.of());

    assertThat(page.invoices()).isEmpty();
    XeroCredit c = ((ViewRow.CreditNote) page.rows().getFirst()).creditNote();
    assertThat(c.reference()).isEqualTo("Returned goods");
    assertThat(c.remainingCredit()).isEqualByComparingTo("20.00");
    assertThat(c.allocations())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.invoiceNumber()).isEqualTo("INV-0900");
              assertThat(a.amount()).isEqualByComparingTo("30.00");
            });
  }

  static ContactTotals totals(String tenant, String contact) {
    return invoices.totals(tenant, contact).stream()
        .filter(t -> t.type().equals("ACCREC"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void totalsFollowEachCreditNoteExactlyOnceAsItIsAllocatedAndUsedUp() {
    String tenant = UUID.randomUUID().toString();
    String contact = UUID.randomUUID().toString();
    invoices.upsert(
        tenant, Invoices.authorised(id(31), contact, TODAY, TODAY.plusDays(30), "1200.00", "0"));
    String cn = id(32);
    // First seen through an invoice (a stub, counted in nothing), then read in full.
    credits.rememberAllocation(tenant, XeroAllocation.Kind.CREDIT_NOTE, cn, id(31));
    credits.upsert(
        tenant,
        creditNote(cn, contact, "ACCRECCREDIT", "AUTHORISED", TODAY, "150.00", "150.00", T1));
    credits.upsert(
        tenant,
        creditNote(cn, contact, "ACCRECCREDIT", "AUTHORISED", TODAY, "150.00", "150.00", T1));

    ContactTotals t = totals(tenant, contact);
    assertThat(t.unpaidAmount()).isEqualByComparingTo("1200.00");
    assertThat(t.creditCount()).isEqualTo(1);
    assertThat(t.creditAmount()).isEqualByComparingTo("150.00");
    assertThat(t.outstanding()).isEqualByComparingTo("1050.00");

    credits.upsert(
        tenant,
        creditNote(
            cn,
            contact,
            "ACCRECCREDIT",
            "AUTHORISED",
            TODAY,
            "150.00",
            "40.50",
            T1.plusSeconds(1)));
    assertThat(totals(tenant, contact).creditAmount()).isEqualByComparingTo("40.50");

    credits.upsert(
        tenant,
        creditNote(
            cn, contact, "ACCRECCREDIT", "PAID", TODAY, "150.00", "0.00", T1.plusSeconds(2)));
    // An older read arriving late changes nothing.
    credits.upsert(
        tenant,
        creditNote(
            cn,
            contact,
            "ACCRECCREDIT",
            "AUTHORISED",
            TODAY,
            "150.00",
            "40.50",
            T1.plusSeconds(1)));
    t = totals(tenant, contact);
    assertThat(t.creditCount()).isZero();
    assertThat(t.creditAmount()).isEqualByComparingTo("0");
    assertThat(t.creditUsedCount()).isEqualTo(1);
    assertThat(t.creditUsedAmount()).isEqualByComparingTo("150.00");
    assertThat(t.outstanding()).isEqualByComparingTo("1200.00");

    credits.upsert(
        tenant,
        creditNote(
            cn, contact, "ACCRECCREDIT", "VOIDED", TODAY, "150.00", "0.00", T1.plusSeconds(3)));
    assertThat(totals(tenant, contact).creditUsedCount()).isZero();
    assertThat(totals(tenant, contact).creditUsedAmount()).isEqualByComparingTo("0");
  }

  @Test
  void overpaymentsAndPrepaymentsAreNeitherListedNorTotalled() {
    String tenant = UUID.randomUUID().toString();
    String contact = UUID.randomUUID().toString();
    XeroCredit cn =
        creditNote(id(41), contact, "ACCRECCREDIT", "AUTHORISED", TODAY, "10.00", "10.00", T1);
    credits.upsert(
        tenant,
        new XeroCredit(
            XeroAllocation.Kind.OVERPAYMENT,
            id(41),
            null,
            null,
            "RECEIVE-OVERPAYMENT",
            "AUTHORISED",
            contact,
            null,
            TODAY,
            "NZD",
            cn.total(),
            cn.remainingCredit(),
            T1,
            List.of()));

    assertThat(all(tenant, contact, query(InvoiceView.ALL, ViewQuery.CreditNotes.ONLY, 5)))
        .isEmpty();
    assertThat(invoices.totals(tenant, contact)).isEmpty();
  }
}
