package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.Organisations.Organisation;
import dev.xerosync.xero.XeroInvoice;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InvoiceViewTest {
  static final LocalDate TODAY = LocalDate.parse("2026-11-21");
  static final String C = "7d3c1f0e-0000-4000-8000-000000000001";

  static Set<InvoiceView> viewsOf(XeroInvoice inv, LocalDate today) {
    return EnumSet.allOf(InvoiceView.class).stream()
        .filter(v -> v != InvoiceView.PINNED)
        .filter(v -> v.includes(inv, today))
        .collect(Collectors.toSet());
  }

  @Test
  void dueTodayIsOpenAndDueYesterdayIsOverdue() {
    var dueToday =
        Invoices.authorised(
            "a0000000-0000-4000-8000-000000000001", C, TODAY.minusDays(30), TODAY, "100.00", "0");
    var dueYesterday =
        Invoices.authorised(
            "a0000000-0000-4000-8000-000000000002",
            C,
            TODAY.minusDays(30),
            TODAY.minusDays(1),
            "100.00",
            "0");
    assertThat(viewsOf(dueToday, TODAY))
        .containsExactlyInAnyOrder(InvoiceView.OPEN, InvoiceView.UNPAID, InvoiceView.ALL);
    assertThat(viewsOf(dueYesterday, TODAY))
        .containsExactlyInAnyOrder(InvoiceView.OVERDUE, InvoiceView.UNPAID, InvoiceView.ALL);
  }

  @Test
  void aPartialPaymentLeavesTheInvoiceUnpaid() {
    var partial =
        Invoices.authorised(
            "a0000000-0000-4000-8000-000000000003",
            C,
            TODAY.minusDays(40),
            TODAY.minusDays(10),
            "100.00",
            "40.00");
    assertThat(viewsOf(partial, TODAY))
        .containsExactlyInAnyOrder(InvoiceView.OVERDUE, InvoiceView.UNPAID, InvoiceView.ALL);
    assertThat(partial.amountDue()).isEqualByComparingTo("60.00");
  }

  @Test
  void aCreditNoteThatPaysAnInvoiceOffMakesItPaid() {
    var credited =
        Invoices.creditedOff(
            "a0000000-0000-4000-8000-000000000004",
            C,
            TODAY.minusDays(40),
            TODAY.minusDays(10),
            "100.00");
    assertThat(viewsOf(credited, TODAY))
        .containsExactlyInAnyOrder(InvoiceView.PAID, InvoiceView.ALL);
    assertThat(InvoiceView.isOverdue(credited, TODAY)).isFalse();
  }

  @Test
  void aReversedPaymentReopensAnInvoice() {
    var paid =
        Invoices.paid(
            "a0000000-0000-4000-8000-000000000005",
            C,
            TODAY.minusDays(40),
            TODAY.plusDays(5),
            "100.00");
    var reopened =
        Invoices.authorised(
            "a0000000-0000-4000-8000-000000000005",
            C,
            TODAY.minusDays(40),
            TODAY.plusDays(5),
            "100.00",
            "0");
    assertThat(viewsOf(paid, TODAY)).containsExactlyInAnyOrder(InvoiceView.PAID, InvoiceView.ALL);
    assertThat(viewsOf(reopened, TODAY))
        .containsExactlyInAnyOrder(InvoiceView.OPEN, InvoiceView.UNPAID, InvoiceView.ALL);
  }

  @Test
  void draftsAndVoidedInvoicesShowOnlyInTheirOwnViews() {
    var base =
        Invoices.authorised(
            "a0000000-0000-4000-8000-000000000006", C, TODAY, TODAY.minusDays(3), "10.00", "0");
    assertThat(viewsOf(Invoices.withStatus(base, "DRAFT"), TODAY))
        .containsExactly(InvoiceView.DRAFT);
    assertThat(viewsOf(Invoices.withStatus(base, "SUBMITTED"), TODAY))
        .containsExactly(InvoiceView.DRAFT);
    assertThat(viewsOf(Invoices.withStatus(base, "VOIDED"), TODAY))
        .containsExactly(InvoiceView.VOIDED);
    assertThat(viewsOf(Invoices.withStatus(base, "DELETED"), TODAY))
        .containsExactly(InvoiceView.VOIDED);
  }

  @Test
  void todayIsTheOrganisationsDate() {
    // 11:00 UTC on 20 Nov is already 21 Nov in Auckland (UTC+13 in summer) and still 20 Nov in
    // Honolulu.
    Clock clock = Clock.fixed(Instant.parse("2026-11-20T11:00:00Z"), ZoneOffset.UTC);
    var auckland = new Organisation("t", "NZ Ltd", "!abc", ZoneId.of("Pacific/Auckland"), "NZD");
    var honolulu = new Organisation("t", "HI Inc", "!def", ZoneId.of("Pacific/Honolulu"), "USD");
    var dueTwentieth =
        Invoices.authorised(
            "a0000000-0000-4000-8000-000000000007",
            C,
            LocalDate.parse("2026-10-20"),
            LocalDate.parse("2026-11-20"),
            "10.00",
            "0");
    assertThat(auckland.today(clock)).isEqualTo("2026-11-21");
    assertThat(honolulu.today(clock)).isEqualTo("2026-11-20");
    assertThat(InvoiceView.OVERDUE.includes(dueTwentieth, auckland.today(clock))).isTrue();
    assertThat(InvoiceView.OPEN.includes(dueTwentieth, honolulu.today(clock))).isTrue();
  }

  @Test
  void anInvoiceWithoutADueDateIsNeverOverdue() {
    var noDue =
        Invoices.authorised(
            "a0000000-0000-4000-8000-000000000008", C, TODAY.minusDays(400), null, "10.00", "0");
    assertThat(viewsOf(noDue, TODAY))
        .containsExactlyInAnyOrder(InvoiceView.OPEN, InvoiceView.UNPAID, InvoiceView.ALL);
  }

  @Test
  void deepLinksUseTheShortCodeAndTheInvoiceTypesPage() {
    var org = new Organisation("t", "NZ Ltd", "!kT3vP", ZoneId.of("Pacific/Auckland"), "NZD");
    assertThat(org.invoiceUrl("abc", "ACCREC"))
        .isEqualTo(
            "https://go.xero.com/organisationlogin/default.aspx?shortcode=!kT3vP&redirecturl=/AccountsReceivable/View.aspx?InvoiceID=abc");
    assertThat(org.invoiceUrl("abc", "ACCPAY"))
        .endsWith("/AccountsPayable/View.aspx?InvoiceID=abc");
    assertThat(new Organisation("t", null, null, ZoneOffset.UTC, null).invoiceUrl("abc", "ACCREC"))
        .isNull();
  }
}
