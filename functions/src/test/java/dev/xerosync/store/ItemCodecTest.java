package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.xero.XeroInvoice;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What the codec refuses, instead of storing a key with "null" in it or failing without a name. */
class ItemCodecTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 1);

  @Test
  void anInvoiceWithoutItsIdIsRefusedByName() {
    XeroInvoice noId = withId(null);

    assertThatThrownBy(() -> ItemCodec.invoiceItem("t", noId, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("InvoiceID");
  }

  @Test
  void anInvoiceWithoutUpdatedDateIsRefusedByName() {
    XeroInvoice ok = withId("11111111-1111-1111-1111-111111111111");
    XeroInvoice noUpdated =
        new XeroInvoice(
            ok.invoiceId(),
            ok.invoiceNumber(),
            ok.reference(),
            ok.type(),
            ok.status(),
            ok.contactId(),
            ok.contactName(),
            ok.date(),
            ok.dueDate(),
            ok.currencyCode(),
            ok.subTotal(),
            ok.totalTax(),
            ok.total(),
            ok.amountDue(),
            ok.amountPaid(),
            ok.amountCredited(),
            ok.fullyPaidOnDate(),
            null,
            ok.payments(),
            ok.allocations());

    assertThatThrownBy(() -> ItemCodec.invoiceItem("t", noUpdated, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UpdatedDateUTC");
  }

  @Test
  void aStoredItemMissingAnAttributeItAlwaysHasFailsNamingIt() {
    Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("p"));

    assertThat(ItemCodec.requiredStr(item, "pk")).isEqualTo("p");
    assertThatThrownBy(() -> ItemCodec.requiredStr(item, "sk"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'sk'");
  }

  private static XeroInvoice withId(String id) {
    XeroInvoice base =
        Invoices.authorised(
            "11111111-1111-1111-1111-111111111111", "c", DAY, DAY.plusDays(30), "100", "0");
    return new XeroInvoice(
        id,
        base.invoiceNumber(),
        base.reference(),
        base.type(),
        base.status(),
        base.contactId(),
        base.contactName(),
        base.date(),
        base.dueDate(),
        base.currencyCode(),
        base.subTotal(),
        base.totalTax(),
        base.total(),
        base.amountDue(),
        base.amountPaid(),
        base.amountCredited(),
        base.fullyPaidOnDate(),
        base.updatedDateUtc(),
        base.payments(),
        base.allocations());
  }
}
