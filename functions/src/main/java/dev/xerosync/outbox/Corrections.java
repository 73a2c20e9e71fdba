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
            "Restore the contact in Xero (open it and choose Restore), then send the write"
                + " again.");
      }
      if (s.contains("lock date")) {
        return new Correction(
            "LOCK_DATE",
            "The date falls on or before the organisation's lock date: use a later date, or ask"
                + " the organisation's adviser to move the lock date in Xero.");
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
      if (s.contains("exceeds the amount outstanding")) {
        return new Correction(
            "PAYMENT_EXCEEDS_OUTSTANDING",
            "Record no more than the invoice's amount due; refund or credit the difference"
                + " separately.");
      }
      if (s.contains("does not match the total")) {
        return new Correction(
            "TOTAL_MISMATCH",
            "Send totals that agree with the line items (quantity x unit price, less discount,"
                + " plus tax), or leave the total out and let Xero work it out.");
      }
      if (s.contains("status for modification")
          || s.contains("cannot be edited")
          || s.contains("against authorised documents")) {
        return new Correction(
            "STATUS_NOT_MODIFIABLE",
            "Xero does not allow this change at the invoice's status (draft, authorised, paid or"
                + " voided): authorise it before a payment; raise a credit note instead of"
                + " editing a paid one.");
      }
      if (s.contains("account")
          && (s.contains("valid") || s.contains("found") || s.contains("payments can only"))) {
        return new Correction(
            "ACCOUNT_INVALID",
            "Use an account code that exists and is active in the organisation's chart of"
                + " accounts (Settings > Chart of accounts); payments need a bank account or one"
                + " with payments enabled.");
      }
      if (s.contains("invoice # must be unique")) {
        return new Correction(
            "INVOICE_NUMBER_TAKEN",
            "An invoice with this number, made outside this service, is already in Xero: give"
                + " the invoice another external id, or delete the other one in Xero.");
      }
      if (s.contains("contact name") && s.contains("already assigned")) {
        return new Correction(
            "CONTACT_NAME_TAKEN",
            "Another active Xero contact has this name: set its contact number to your customer"
                + " id so it is linked, or send a different name.");
      }
      if (s.contains("contact number")) {
        return new Correction(
            "CONTACT_NUMBER_TAKEN",
            "Another Xero contact already has this contact number: check which contact your"
                + " customer id belongs to and clear the number on the other one.");
      }
      // Xero's words for an invoice ("A Contact must be specified for this type of transaction")
      // and for a bank transaction whose contact names nothing (the spec's example).
      if (s.contains("contact must be specified") || s.contains("to identify the contact")) {
        return new Correction(
            "CONTACT_REQUIRED",
            "Send the write with a contact (contact.externalId, or contact.xeroContactId of a"
                + " contact in Xero); for a deposit, the set-up's deposits contact serves.");
      }
      if (s.contains("due date is required")) {
        return new Correction(
            "DUE_DATE_REQUIRED",
            "Send dueDate with an invoice to be authorised, or push it as a draft.");
      }
      // Xero's own words: "One or more line items must be specified" (a recorded real 400).
      if (s.contains("at least one line item") || s.contains("line items must be specified")) {
        return new Correction(
            "LINE_ITEMS_REQUIRED",
            "Send at least one line item with an invoice to be authorised, or push it as a"
                + " draft.");
      }
      if (s.contains("discount")) {
        return new Correction(
            "DISCOUNT_INVALID",
            "Send each line's discountRate as a percentage from 0 to 100, on sales invoices"
                + " only.");
      }
    }
    return new Correction(
        "XERO_VALIDATION",
        "Correct what Xero's messages name, then send the write again with a new Idempotency-Key.");
  }
}
