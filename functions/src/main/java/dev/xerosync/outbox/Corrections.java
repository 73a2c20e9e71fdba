package dev.xerosync.outbox;

import java.util.List;
import java.util.Locale;

/**
 * Turns Xero's validation messages into a problem code and a plain-language action the product can
 * show. The codes are the dry run's, so a problem found before sending and one Xero found read the
 * same.
 */
final class Corrections {
  private Corrections() {}

  record Correction(String code, String action) {}

  static Correction of(List<String> messages) {
    for (String m : messages) {
      String s = m.toLowerCase(Locale.ROOT);
      if (s.contains("archived")) {
        return new Correction(
            "CONTACT_ARCHIVED",
            "Restore the contact in Xero (Contacts > Archived > Restore), then send the write"
                + " again.");
      }
      if (s.contains("lock date") || s.contains("period lock") || s.contains("locked")) {
        return new Correction(
            "LOCK_DATE",
            "The date falls before the organisation's lock date: use a later date, or ask the"
                + " organisation's adviser to move the lock date in Xero.");
      }
      if (s.contains("currency")) {
        return new Correction(
            "CURRENCY_NOT_SUBSCRIBED",
            "Add the currency to the organisation in Xero (Settings > Currencies), or send the"
                + " invoice in the base currency.");
      }
      if (s.contains("taxtype") || s.contains("tax type") || s.contains("tax rate")) {
        return new Correction(
            "TAX_RATE_INVALID",
            "Use a tax rate that exists and is active in the organisation (Settings > Tax rates)"
                + " and suits the line's account.");
      }
      if (s.contains("account")
          && (s.contains("code") || s.contains("not valid") || s.contains("archived"))) {
        return new Correction(
            "ACCOUNT_INVALID",
            "Use an account code that exists and is active in the organisation's chart of"
                + " accounts (Settings > Chart of accounts); payments need a bank account or one"
                + " with payments enabled.");
      }
      if (s.contains("exceed") || s.contains("outstanding") || s.contains("overpa")) {
        return new Correction(
            "PAYMENT_EXCEEDS_OUTSTANDING",
            "Record no more than the invoice's amount due; refund or credit the difference"
                + " separately.");
      }
      if (s.contains("status")
          || s.contains("modif")
          || s.contains("cannot be edited")
          || s.contains("paid")
          || s.contains("void")) {
        return new Correction(
            "STATUS_NOT_MODIFIABLE",
            "Xero no longer lets this invoice change in this way (it is authorised, paid or"
                + " voided): raise a credit note or a new invoice instead.");
      }
      if (s.contains("total")) {
        return new Correction(
            "TOTAL_MISMATCH",
            "Make the totals agree with the line items (quantity x unit price, less discount,"
                + " plus tax).");
      }
    }
    return new Correction(
        "XERO_VALIDATION",
        "Correct what Xero's messages name, then send the write again with a new Idempotency-Key.");
  }
}
