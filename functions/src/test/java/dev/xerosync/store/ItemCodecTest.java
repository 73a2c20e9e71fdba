package dev.xerosync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.xerosync.xero.XeroInvoice;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemCodecTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-01");

  @Test
  void emptyStringsStayEmptyAndMissingStaysMissing() {
    XeroInvoice base = Invoices.authorised("0000aaaa-1", "c-1", DAY, DAY.plusDays(30), "10", "0");
    XeroInvoice empty = withTexts(base, "", "", "");
    XeroInvoice back = ItemCodec.invoice(ItemCodec.invoiceItem("t", empty, Instant.EPOCH));
    assertEquals("", back.reference());
    assertEquals("", back.invoiceNumber());
    assertEquals("", back.contactName());

    XeroInvoice missing = withTexts(base, null, null, null);
    back = ItemCodec.invoice(ItemCodec.invoiceItem("t", missing, Instant.EPOCH));
    assertNull(back.reference());
    assertNull(back.invoiceNumber());
    assertNull(back.contactName());
  }

  private static XeroInvoice withTexts(
      XeroInvoice i, String number, String reference, String contactName) {
    return new XeroInvoice(
        i.invoiceId(),
        number,
        reference,
        i.type(),
        i.status(),
        i.contactId(),
        contactName,
        i.date(),
        i.dueDate(),
        i.currencyCode(),
        i.subTotal(),
        i.totalTax(),
        i.total(),
        i.amountDue(),
        i.amountPaid(),
        i.amountCredited(),
        i.fullyPaidOnDate(),
        i.updatedDateUtc(),
        i.payments(),
        List.of());
  }
}
