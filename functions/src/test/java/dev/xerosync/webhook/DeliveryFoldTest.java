package dev.xerosync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.queue.SyncRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryFoldTest {
  static final String TENANT = "11111111-1111-1111-1111-111111111111";
  static final String INVOICE = "22222222-2222-2222-2222-222222222222";
  static final String CREDIT_NOTE = "33333333-3333-3333-3333-333333333333";

  static WebhookDelivery.Event event(String category, String id) {
    return new WebhookDelivery.Event(TENANT, category, "UPDATE", id, "2026-11-30T00:00:00.000");
  }

  @Test
  void creditNoteEventsAreSyncedNotDropped() throws Exception {
    var messages =
        DeliveryFold.fold(
            List.of(event("INVOICE", INVOICE), event("CREDITNOTE", CREDIT_NOTE)), "c1");

    assertThat(messages).hasSize(1);
    SyncRequest r = messages.getFirst().request();
    assertThat(r.invoiceIds()).containsExactly(INVOICE);
    assertThat(r.creditNoteIds()).containsExactly(CREDIT_NOTE);
    assertThat(SyncRequest.fromJson(r.toJson())).as("through the queue").isEqualTo(r);
  }

  @Test
  void aDeliveryOfOnlyCreditNotesStillMakesARequest() {
    var messages = DeliveryFold.fold(List.of(event("CREDITNOTE", CREDIT_NOTE)), "c2");

    assertThat(messages)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.request().creditNoteIds()).containsExactly(CREDIT_NOTE);
              assertThat(m.request().invoiceIds()).isEmpty();
            });
  }

  @Test
  void aRequestQueuedBeforeCreditNotesExistedStillReads() throws Exception {
    SyncRequest old =
        SyncRequest.fromJson(
            "{\"tenantId\":\""
                + TENANT
                + "\",\"kind\":\"CHANGES\",\"invoiceIds\":[\""
                + INVOICE
                + "\"],\"contactIds\":[],\"correlationId\":\"c\"}");
    assertThat(old.creditNoteIds()).isEmpty();
    assertThat(old.invoiceIds()).containsExactly(INVOICE);
  }

  static WebhookDelivery.Event invoiceAt(String id, String eventDateUtc) {
    return new WebhookDelivery.Event(TENANT, "INVOICE", "UPDATE", id, eventDateUtc);
  }

  @Test
  void aRequestSaysWhenTheLatestOfItsInvoiceChangesHappened() throws Exception {
    String other = "44444444-4444-4444-4444-444444444444";
    SyncRequest r =
        DeliveryFold.fold(
                List.of(
                    invoiceAt(INVOICE, "2026-11-30T10:00:00.250"),
                    invoiceAt(other, "2026-11-30T10:00:01.500")),
                "c3")
            .getFirst()
            .request();

    assertThat(r.invoicesChangedUpTo()).contains(Instant.parse("2026-11-30T10:00:01.500Z"));
    assertThat(SyncRequest.fromJson(r.toJson())).as("through the queue").isEqualTo(r);
  }

  @Test
  void oneInvoiceEventWithoutADateLeavesTheRequestUndated() {
    SyncRequest r =
        DeliveryFold.fold(
                List.of(
                    invoiceAt(INVOICE, "2026-11-30T10:00:00.250"),
                    invoiceAt("44444444-4444-4444-4444-444444444444", "")),
                "c4")
            .getFirst()
            .request();

    assertThat(r.invoicesChangedUpTo())
        .as("a stored copy can never be taken as new enough")
        .isEmpty();
  }

  @Test
  void eventDatesAreReadInUtcAndRoundedUpToTheMillisecond() {
    // A stored invoice is dated to the millisecond: rounding down could make a copy that lacks a
    // change look as new as it.
    assertThat(DeliveryFold.eventDate("2026-11-30T10:00:00.1234567"))
        .isEqualTo(Instant.parse("2026-11-30T10:00:00.124Z"));
    assertThat(DeliveryFold.eventDate("2026-11-30T10:00:00.123"))
        .isEqualTo(Instant.parse("2026-11-30T10:00:00.123Z"));
    assertThat(DeliveryFold.eventDate("2026-11-30T12:00:00+02:00"))
        .isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
    assertThat(DeliveryFold.eventDate("yesterday")).isNull();
  }
}
