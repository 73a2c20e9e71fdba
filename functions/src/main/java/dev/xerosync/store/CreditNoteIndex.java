package dev.xerosync.store;

import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroCredit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * How a credit note sits beside its contact's invoices: its keys in the three listing indexes (in
 * partitions of its own, {@link Keys#creditNotesPk}), and what it adds to the contact's totals of
 * the invoice type it offsets (ACCRECCREDIT offsets ACCREC, ACCPAYCREDIT offsets ACCPAY).
 * Overpayments, prepayments and stubs known only from an invoice are neither listed nor totalled.
 */
final class CreditNoteIndex {
  /** On a credit item whose contribution is in its contact's totals. */
  static final String TOTALLED = "totalled";

  /** A credit note has no due date: it sorts as an invoice without one, and is never overdue. */
  private static final String NO_DUE_DATE = "9999-12-31";

  private CreditNoteIndex() {}

  /** The invoice type a credit note type offsets, or null for anything else. */
  static @Nullable String invoiceType(@Nullable String creditType) {
    if ("ACCRECCREDIT".equals(creditType)) {
      return "ACCREC";
    }
    if ("ACCPAYCREDIT".equals(creditType)) {
      return "ACCPAY";
    }
    return null;
  }

  static boolean listed(XeroCredit c) {
    return c.kind() == XeroAllocation.Kind.CREDIT_NOTE
        && c.creditId() != null
        && c.contactId() != null
        && c.currencyCode() != null
        && invoiceType(c.type()) != null;
  }

  /**
   * Adds the listing keys and the totalled mark to a credit note's item; others stay as they are.
   */
  static void putKeys(Map<String, AttributeValue> item, String tenantId, XeroCredit c) {
    if (!listed(c)) {
      return;
    }
    String id = ItemCodec.required(c.creditId(), "credit id");
    String contactId = ItemCodec.required(c.contactId(), "contact id");
    String date = c.date() == null ? "0000-00-00" : c.date().toString();
    item.put("gsi1pk", ItemCodec.s(Keys.creditNotesPk(tenantId, contactId)));
    item.put("gsi1sk", ItemCodec.s(date + "#" + id));
    item.put(
        "gsi2pk", ItemCodec.s(Keys.creditNoteViewPk(tenantId, contactId, InvoiceBucket.of(c))));
    item.put("gsi2sk", ItemCodec.s(NO_DUE_DATE + "#" + id));
    if (c.number() != null && !c.number().isBlank()) {
      item.put("gsi3pk", ItemCodec.s(Keys.creditNoteNumberPk(tenantId, contactId)));
      item.put("gsi3sk", ItemCodec.s(c.number().toUpperCase(Locale.ROOT) + "#" + id));
    }
    item.put(TOTALLED, AttributeValue.fromBool(true));
  }

  /**
   * What a credit note adds to its contact's totals: count and remaining credit while credit is
   * left, count and total once used up.
   */
  record Contribution(long count, BigDecimal amount, long usedCount, BigDecimal usedAmount) {
    static final Contribution ZERO = new Contribution(0, BigDecimal.ZERO, 0, BigDecimal.ZERO);

    static Contribution of(XeroCredit c) {
      if (!listed(c)) {
        return ZERO;
      }
      return switch (InvoiceBucket.of(c)) {
        case UNPAID -> new Contribution(1, c.remainingCredit(), 0, BigDecimal.ZERO);
        case PAID -> new Contribution(0, BigDecimal.ZERO, 1, c.total());
        default -> ZERO;
      };
    }

    Contribution plus(Contribution o) {
      return new Contribution(
          count + o.count,
          amount.add(o.amount),
          usedCount + o.usedCount,
          usedAmount.add(o.usedAmount));
    }

    Contribution negate() {
      return new Contribution(-count, amount.negate(), -usedCount, usedAmount.negate());
    }

    boolean isZero() {
      return count == 0 && usedCount == 0 && amount.signum() == 0 && usedAmount.signum() == 0;
    }
  }

  /**
   * The ADDs that move the contact totals from the stored credit to the incoming one, for the same
   * transaction as the credit's conditional put, so they move exactly once. A stored credit without
   * the totalled mark (a stub, or one stored before credit notes were totalled) counts as nothing.
   */
  static List<TransactWriteItem> totalsUpdates(
      String table,
      String tenantId,
      @Nullable Map<String, AttributeValue> oldItem,
      @Nullable XeroCredit old,
      XeroCredit incoming) {
    Map<String, Contribution> deltas = new LinkedHashMap<>();
    if (old != null && oldItem != null && oldItem.containsKey(TOTALLED)) {
      Contribution before = Contribution.of(old);
      if (!before.isZero()) {
        deltas.merge(totalsKey(old), before.negate(), Contribution::plus);
      }
    }
    Contribution after = Contribution.of(incoming);
    if (!after.isZero()) {
      deltas.merge(totalsKey(incoming), after, Contribution::plus);
    }
    List<TransactWriteItem> updates = new ArrayList<>();
    deltas.forEach(
        (key, d) -> {
          if (!d.isZero()) {
            updates.add(update(table, tenantId, key, d));
          }
        });
    return updates;
  }

  /** "contactId|sk" of the totals item a listed credit note counts in. */
  private static String totalsKey(XeroCredit c) {
    return c.contactId()
        + "|"
        + Keys.totalsSk(
            ItemCodec.required(invoiceType(c.type()), "credit note type"),
            ItemCodec.required(c.currencyCode(), "currency"));
  }

  private static TransactWriteItem update(
      String table, String tenantId, String totalsKey, Contribution d) {
    String[] parts = totalsKey.split("\\|", 2);
    String pk = Keys.contactPk(tenantId, parts[0]);
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(Keys.key(pk, parts[1]))
                    .updateExpression(
                        TenantItems.set(
                            "ADD creditCount :cc, creditAmount :ca, creditUsedCount :uc,"
                                + " creditUsedAmount :ua"))
                    .expressionAttributeValues(
                        TenantItems.values(
                            tenantId,
                            pk,
                            Map.of(
                                ":cc", AttributeValue.fromN(Long.toString(d.count())),
                                ":ca", ItemCodec.n(d.amount()),
                                ":uc", AttributeValue.fromN(Long.toString(d.usedCount())),
                                ":ua", ItemCodec.n(d.usedAmount())))))
        .build();
  }
}
