package dev.xerosync.infra.xero.scenario;

import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.LineItem;
import dev.xerosync.infra.xero.ledger.Payment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Generates a realistic, reproducible history for an organisation: contacts, and sales invoices
 * spread over the last two years in every status, most authorised ones paid in one or two payments.
 * The same seed gives the same books (ids included). Records are built directly and bulk-loaded, so
 * 100k invoices take seconds, and no webhooks are raised for history that predates the test.
 */
public final class BookGenerator {
  private static final BigDecimal GST = new BigDecimal("0.15");

  private final Random random;
  private final Instant now;

  public BookGenerator(long seed, Instant now) {
    this.random = new Random(seed);
    this.now = now;
  }

  private String uuid() {
    // Version-4 layout from the seeded generator, so ids repeat with the seed.
    long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  public void generate(
      Ledger ledger, int contactCount, int invoiceCount, String firstNumberPrefix) {
    List<Contact> contacts = new ArrayList<>(contactCount);
    Instant start = now.minus(Duration.ofDays(730));
    for (int i = 0; i < contactCount; i++) {
      Instant created =
          start.plusSeconds((long) (random.nextDouble() * Duration.ofDays(365).toSeconds()));
      boolean archived = random.nextInt(50) == 0;
      contacts.add(
          new Contact(
              uuid(),
              "Customer " + (i + 1) + " Ltd",
              "accounts" + (i + 1) + "@example.com",
              archived ? Contact.ARCHIVED : Contact.ACTIVE,
              true,
              false,
              created,
              created,
              null));
    }
    List<Invoice> invoices = new ArrayList<>(invoiceCount);
    List<Payment> payments = new ArrayList<>(invoiceCount);
    String bank = ledger.defaultBankAccountId();
    long spanSeconds = Duration.between(start, now).toSeconds();
    for (int i = 0; i < invoiceCount; i++) {
      Contact c = contacts.get(random.nextInt(contacts.size()));
      Instant created = start.plusSeconds((long) (random.nextDouble() * spanSeconds));
      LocalDate date = LocalDate.ofInstant(created, ZoneOffset.UTC);
      LocalDate due = date.plusDays(random.nextBoolean() ? 20 : 30);
      BigDecimal qty = BigDecimal.valueOf(1 + random.nextInt(10));
      BigDecimal unit = BigDecimal.valueOf(500 + random.nextInt(50_000), 2);
      BigDecimal sub = qty.multiply(unit).setScale(2, RoundingMode.HALF_UP);
      BigDecimal tax = sub.multiply(GST).setScale(2, RoundingMode.HALF_UP);
      BigDecimal total = sub.add(tax);
      LineItem line =
          new LineItem(uuid(), "Consulting services", qty, unit, "200", "OUTPUT2", tax, sub);
      int roll = random.nextInt(100);
      String status =
          roll < 3
              ? Invoice.DRAFT
              : roll < 5
                  ? Invoice.SUBMITTED
                  : roll < 7
                      ? Invoice.VOIDED
                      : roll < 8 ? Invoice.DELETED : roll < 70 ? Invoice.PAID : Invoice.AUTHORISED;
      String id = uuid();
      Instant updated = created;
      LocalDate paidOn = null;
      if (status.equals(Invoice.PAID)
          || (status.equals(Invoice.AUTHORISED) && random.nextInt(3) == 0)) {
        // PAID: settled in one or two payments; AUTHORISED: a part payment.
        boolean split = random.nextInt(4) == 0 || status.equals(Invoice.AUTHORISED);
        BigDecimal first =
            split
                ? total
                    .multiply(BigDecimal.valueOf(20 + random.nextInt(60), 2))
                    .setScale(2, RoundingMode.HALF_UP)
                : total;
        LocalDate d1 = date.plusDays(random.nextInt(40));
        Instant at = min(updated.plus(Duration.ofDays(1 + random.nextInt(40))));
        payments.add(
            new Payment(
                uuid(),
                id,
                bank,
                d1,
                first,
                "Payment " + (i + 1),
                Payment.AUTHORISED,
                "ACCRECPAYMENT",
                BigDecimal.ONE,
                at,
                false));
        updated = at;
        paidOn = d1;
        if (status.equals(Invoice.PAID) && split) {
          LocalDate d2 = d1.plusDays(1 + random.nextInt(20));
          Instant at2 = min(updated.plus(Duration.ofDays(1 + random.nextInt(20))));
          payments.add(
              new Payment(
                  uuid(),
                  id,
                  bank,
                  d2,
                  total.subtract(first),
                  "Balance " + (i + 1),
                  Payment.AUTHORISED,
                  "ACCRECPAYMENT",
                  BigDecimal.ONE,
                  at2,
                  false));
          updated = at2;
          paidOn = d2;
        }
        if (!status.equals(Invoice.PAID)) {
          paidOn = null;
        }
      }
      invoices.add(
          new Invoice(
              id,
              "ACCREC",
              c.contactId(),
              firstNumberPrefix + String.format("%06d", i + 1),
              "",
              date,
              due,
              "Exclusive",
              List.of(line),
              ledger.baseCurrency(),
              BigDecimal.ONE,
              status,
              sub,
              tax,
              total,
              paidOn,
              created,
              updated,
              null,
              !status.equals(Invoice.DRAFT)));
    }
    ledger.load(contacts, invoices, payments);
  }

  private Instant min(Instant t) {
    return t.isAfter(now) ? now : t;
  }
}
