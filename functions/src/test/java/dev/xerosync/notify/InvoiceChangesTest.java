package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.store.EventDraft;
import dev.xerosync.store.InvoiceJson;
import dev.xerosync.store.Invoices;
import dev.xerosync.store.Organisations.Organisation;
import dev.xerosync.xero.XeroInvoice;
import dev.xerosync.xero.XeroPayment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which events an invoice's before and after derive, and that their ids are stable. */
class InvoiceChangesTest {
  private static final String TENANT = "tenant-1";
  private static final String ID = "11111111-2222-3333-4444-555555555555";
  private static final Organisation ORG =
      new Organisation(TENANT, "Org", "!abc", ZoneId.of("Pacific/Auckland"), "NZD");
  private static final LocalDate TODAY = LocalDate.of(2026, 10, 15);
  private static final Instant T1 = Instant.parse("2026-10-01T10:00:00Z");
  private static final Instant T2 = T1.plusSeconds(60);
  private static final XeroPayment P1 =
      new XeroPayment("pay-1", LocalDate.of(2026, 10, 2), new BigDecimal("40"), "first");
  private static final XeroPayment P2 =
      new XeroPayment("pay-2", LocalDate.of(2026, 10, 3), new BigDecimal("60"), "rest");

  private static ObjectNode view(XeroInvoice inv) {
    return InvoiceJson.detail(inv, ORG, TODAY);
  }

  private static XeroInvoice inv(String status, String due, Instant at, List<XeroPayment> p) {
    return Invoices.version(ID, "contact-1", status, "100", due, at, p);
  }

  private static List<String> types(List<EventDraft> events) {
    return events.stream().map(EventDraft::type).toList();
  }

  private static List<EventDraft> derive(XeroInvoice before, XeroInvoice after) {
    return InvoiceChanges.derive(TENANT, before == null ? null : view(before), view(after));
  }

  @Test
  void aNewDraftIsCreatedOnly() {
    var events = derive(null, inv("DRAFT", "100", T1, List.of()));
    assertThat(types(events)).containsExactly(EventTypes.INVOICE_CREATED);
    assertThat(events.get(0).previous()).isNull();
    assertThat(events.get(0).occurredAt()).isEqualTo(T1);
    assertThat(events.get(0).data().path("invoiceId").asText()).isEqualTo(ID);
    assertThat(events.get(0).subjectId()).isEqualTo(ID);
  }

  @Test
  void aNewAuthorisedInvoiceIsCreatedAndAuthorised() {
    assertThat(types(derive(null, inv("AUTHORISED", "100", T1, List.of()))))
        .containsExactly(EventTypes.INVOICE_CREATED, EventTypes.INVOICE_AUTHORISED);
  }

  @Test
  void approvingADraftIsAuthorisedWithThePreviousStatus() {
    var events =
        derive(inv("DRAFT", "100", T1, List.of()), inv("AUTHORISED", "100", T2, List.of()));
    assertThat(types(events)).containsExactly(EventTypes.INVOICE_AUTHORISED);
    assertThat(events.get(0).previous().path("status").asText()).isEqualTo("DRAFT");
  }

  @Test
  void aPaymentThatLeavesABalanceIsPartPaidWithTheInstalment() {
    var events =
        derive(inv("AUTHORISED", "100", T1, List.of()), inv("AUTHORISED", "60", T2, List.of(P1)));
    assertThat(types(events)).containsExactly(EventTypes.INVOICE_PART_PAID);
    EventDraft e = events.get(0);
    assertThat(e.data().path("instalment").path("paymentId").asText()).isEqualTo("pay-1");
    assertThat(e.data().path("amountDue").decimalValue()).isEqualByComparingTo("60");
    assertThat(e.previous().path("amountDue").decimalValue()).isEqualByComparingTo("100");
    assertThat(e.previous().has("reference")).isFalse();
  }

  @Test
  void thePaymentThatSettlesItIsPaidOnly() {
    var events =
        derive(inv("AUTHORISED", "60", T1, List.of(P1)), inv("PAID", "0", T2, List.of(P1, P2)));
    assertThat(types(events)).containsExactly(EventTypes.INVOICE_PAID);
    assertThat(events.get(0).data().path("instalment").path("paymentId").asText())
        .isEqualTo("pay-2");
    assertThat(events.get(0).previous().path("status").asText()).isEqualTo("AUTHORISED");
  }

  @Test
  void ourPaymentsCopyAndXerosEchoOfItDeriveTheSamePaidId() {
    XeroInvoice open = inv("AUTHORISED", "100", T1, List.of());
    XeroInvoice copy = inv("PAID", "0", T2.minusMillis(1), List.of(P1, P2));
    XeroInvoice echo = inv("PAID", "0", T2, List.of(P1, P2));
    assertThat(derive(open, copy).get(0).id()).isEqualTo(derive(open, echo).get(0).id());
    assertThat(derive(copy, echo)).isEmpty();
  }

  @Test
  void aRemovedPaymentIsPaymentRemovedAndNotAuthorisedAgain() {
    var events =
        derive(inv("PAID", "0", T1, List.of(P1, P2)), inv("AUTHORISED", "60", T2, List.of(P1)));
    assertThat(types(events)).containsExactly(EventTypes.INVOICE_PAYMENT_REMOVED);
    assertThat(events.get(0).data().path("instalment").path("paymentId").asText())
        .isEqualTo("pay-2");
    assertThat(events.get(0).previous().path("status").asText()).isEqualTo("PAID");
  }

  @Test
  void voidedAndDeleted() {
    assertThat(
            types(
                derive(inv("AUTHORISED", "100", T1, List.of()), inv("VOIDED", "0", T2, List.of()))))
        .containsExactly(EventTypes.INVOICE_VOIDED);
    assertThat(
            types(derive(inv("DRAFT", "100", T1, List.of()), inv("DELETED", "0", T2, List.of()))))
        .containsExactly(EventTypes.INVOICE_DELETED);
  }

  @Test
  void anEditIsUpdatedListingTheChangedFieldsWithTheirPreviousValues() {
    XeroInvoice before = inv("AUTHORISED", "100", T1, List.of());
    XeroInvoice after =
        new XeroInvoice(
            before.invoiceId(),
            before.invoiceNumber(),
            "new ref",
            before.type(),
            before.status(),
            before.contactId(),
            before.contactName(),
            before.date(),
            LocalDate.of(2026, 11, 30),
            before.currencyCode(),
            before.subTotal(),
            before.totalTax(),
            before.total(),
            before.amountDue(),
            before.amountPaid(),
            before.amountCredited(),
            null,
            T2,
            List.of(),
            List.of());
    var events = derive(before, after);
    assertThat(types(events)).containsExactly(EventTypes.INVOICE_UPDATED);
    ObjectNode previous = (ObjectNode) events.get(0).previous();
    assertThat(previous.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("reference", "dueDate");
    assertThat(previous.path("reference").asText()).isEqualTo("ref");
    assertThat(previous.path("dueDate").asText()).isEqualTo("2026-10-31");
    assertThat(events.get(0).data().path("reference").asText()).isEqualTo("new ref");
  }

  @Test
  void aNewerVersionWithNothingAProductCaresAboutDerivesNothing() {
    assertThat(
            derive(
                inv("AUTHORISED", "100", T1, List.of()), inv("AUTHORISED", "100", T2, List.of())))
        .isEmpty();
  }

  @Test
  void theSameChangeAlwaysDerivesTheSameIdsAndDifferentChangesDifferentOnes() {
    XeroInvoice a = inv("AUTHORISED", "100", T1, List.of());
    XeroInvoice b = inv("AUTHORISED", "60", T2, List.of(P1));
    assertThat(derive(a, b)).isEqualTo(derive(a, b));
    assertThat(derive(a, b).get(0).id())
        .isNotEqualTo(derive(b, inv("PAID", "0", T2.plusSeconds(1), List.of(P1, P2))).get(0).id());
    assertThat(InvoiceChanges.derive("other-tenant", view(a), view(b)).get(0).id())
        .isNotEqualTo(derive(a, b).get(0).id());
  }
}
