package dev.xerosync.infra.xero.ledger;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Every validation message the simulator sends, in one place: the simulator and its tests both use
 * these, so a wording is never typed twice. Each says where its wording comes from; "unsourced"
 * marks the ones no public source quotes exactly (our best reading of Xero's style).
 */
public final class XeroMessages {
  private XeroMessages() {}

  private static final DateTimeFormatter LOCK_DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.ENGLISH);

  // ---- idempotency (developer.xero.com, "Idempotent requests") ----

  /** Xero's guide quotes this for a key reused with another method, URL or body. */
  public static String idempotencyKeyReused(String key) {
    return "Idempotency Key: " + key + " is used with a different request.";
  }

  /** Unsourced wording: the guide states the 128-character limit but not the error text. */
  public static String idempotencyKeyTooLong(int max) {
    return "Idempotency Key must be " + max + " characters or fewer.";
  }

  // ---- batches ----

  /** Unsourced wording: Xero documents about 50 elements per request as the practical limit. */
  public static String tooManyElements(int max) {
    return "A maximum of " + max + " elements can be submitted in one request.";
  }

  // ---- invoices ----

  /** The spec's and SDK issues' wording (XeroAPI/Xero-NetStandard, xeroizer). */
  public static final String INVOICE_NUMBER_NOT_UNIQUE = "Invoice # must be unique.";

  /** Xero-Java#353 quotes both. */
  public static final String ACCOUNT_MUST_BE_VALID = "Account must be valid.";

  public static final String TAX_RATE_MUST_BE_VALID = "Tax rate must be valid.";

  /** Xero-NetStandard#364 (issue title quotes it without a full stop). */
  public static String accountCodeNotValid(String code) {
    return "Account code '" + code + "' is not a valid code for this document";
  }

  /** Xero-Java#336. */
  public static String taxTypeNotForAccount(String taxType, String accountCode) {
    return "The TaxType code '"
        + taxType
        + "' cannot be used with account code '"
        + accountCode
        + "'.";
  }

  /** Xero-Java#336. */
  public static String taxTypeDoesNotExist(String taxType) {
    return "The TaxType code "
        + taxType
        + " does not exist or cannot be used for this type of transaction.";
  }

  /** Error lists and vendors' error catalogues (WorkGuru, GarageHive) quote this pair. */
  public static final String INVOICE_NOT_MODIFIABLE =
      "Invoice not of valid status for modification";

  public static final String HAS_PAYMENT_OR_CREDIT =
      "This document cannot be edited as it has a payment or credit note allocated to it.";

  /** Vendors' catalogues (Re-Leased, Payaca, AgriDigital) quote this for archived contacts. */
  public static final String CONTACT_ARCHIVED =
      "The contact with the specified contact details has been archived. The contact must be"
          + " un-archived before creating new invoices or credit notes.";

  public static final String CONTACT_REQUIRED =
      "A Contact must be specified for this type of transaction";

  /**
   * The spec's createBankTransactions example: a bank transaction whose Contact names nothing Xero
   * can identify it by (its request sends ContactID 00000000-0000-0000-0000-000000000000).
   */
  public static final String CONTACT_NOT_IDENTIFIED =
      "The Contact must contain at least 1 of the following elements to identify the contact:"
          + " Name, ContactID, ContactNumber";

  /**
   * A value Xero cannot read into its model's type, answered for the whole request as
   * PostDataInvalidException (ErrorNumber 14). Integrators' notes on Xero's manual journals quote
   * the live answer {@code Error converting value "NO_TAX" to type
   * 'Xero.API.Library..LineAmountType'. Path 'ManualJournals[0].LineAmountTypes'.};
   * XeroAPI/xero-php-oauth2#38 and foxbytehq/laravel-xero-oauth2#50 show the same ErrorNumber and
   * Type for post data Xero cannot read. Other types' names are by analogy.
   */
  public static String notConvertible(String value, String type, String path) {
    return "Error converting value \""
        + value
        + "\" to type 'Xero.API.Library.."
        + type
        + "'. Path '"
        + path
        + "'.";
  }

  /** paymentapp's Xero sync guide quotes "Organisation is not subscribed to currency USD". */
  public static String currencyNotSubscribed(String code) {
    return "Organisation is not subscribed to currency " + code;
  }

  /**
   * xeroizer#92 quotes the end-of-year wording; the period lock wording is by analogy (unsourced).
   */
  public static String beforeEndOfYearLockDate(LocalDate lock) {
    return "The document date cannot be before the end of year lock date, currently set at "
        + LOCK_DATE.format(lock);
  }

  public static String beforePeriodLockDate(LocalDate lock) {
    return "The document date cannot be before the period lock date, currently set at "
        + LOCK_DATE.format(lock);
  }

  /** Unsourced wording: Xero refuses a DiscountRate outside 0..100 on a line. */
  public static final String DISCOUNT_TOO_LARGE = "The discount rate must be between 0 and 100.";

  /** Unsourced wording: Xero applies DiscountRate to sales (ACCREC) documents only. */
  public static final String DISCOUNT_SALES_ONLY =
      "Discounts can only be applied to sales invoices (ACCREC).";

  /** Unsourced wording: sent totals that differ from the computed ones by more than 0.10. */
  public static String totalMismatch(String field) {
    return "The " + field + " does not match the total of the line items.";
  }

  public static final String INVOICE_TYPE_REQUIRED = "Invoice Type must be specified";

  /**
   * pyxero's xero/tests/test_exceptions.py, "Verified response from the live API": a PAID invoice
   * created without lines or contact gets this, {@link #LINE_ITEMS_REQUIRED} and {@link
   * #CONTACT_REQUIRED}, in that order.
   */
  public static final String STATUS_ON_CREATE = "Invoice not of valid status for creation";

  /**
   * The same recorded answer, and XeroAPI/XeroAPI-Schemas#20 (beside "Invoice Type must be
   * specified"): an invoice created without lines at a status that needs them.
   */
  public static final String LINE_ITEMS_REQUIRED = "One or more line items must be specified";

  public static final String LINE_AMOUNT_TYPES =
      "LineAmountTypes must be Exclusive, Inclusive or NoTax.";

  public static final String LINE_ITEM_REQUIRED_TO_APPROVE =
      "Invoice must have at least one line item to be approved.";

  public static final String DUE_DATE_REQUIRED = "Due Date is required.";

  public static final String DATE_NOT_VALID = "The date provided is not valid";

  public static String invoiceNotFound(String id) {
    return "Invoice with InvoiceID " + id + " could not be found.";
  }

  // ---- payments ----

  /** GarageHive's catalogue quotes both. */
  public static final String PAYMENT_NOT_AUTHORISED =
      "Payments can only be made against Authorised documents";

  public static final String PAYMENT_EXCEEDS_OUTSTANDING =
      "Payment amount exceeds the amount outstanding on this document";

  public static final String ACCOUNT_NOT_FOUND = "Account could not be found.";

  /** Unsourced wording; the rule itself is in Xero's Payments docs. */
  public static final String PAYMENT_ACCOUNT_TYPE =
      "Payments can only be made to BANK accounts or accounts with \"Enable payments to this account\" set.";

  public static final String PAYMENT_AMOUNT_POSITIVE = "Payment amount must be greater than zero";

  public static final String INVOICE_NOT_FOUND_FOR_PAYMENT = "Invoice could not be found";

  /** Unsourced wording: a bank transaction's BankAccount must be a BANK account. */
  public static final String BANK_ACCOUNT_REQUIRED =
      "The bank account must be a valid BANK account.";

  /** Unsourced wording. */
  public static String bankTransactionType(String type) {
    return "Bank Transaction Type '" + type + "' is not valid.";
  }

  /** Unsourced wording. */
  public static final String LINE_ITEM_REQUIRED = "At least one line item must be specified.";

  /** Unsourced wording: the simulator takes deletion as the only update of a bank transaction. */
  public static final String BANK_TRANSACTION_UPDATE =
      "Bank transactions can only be updated by setting Status to DELETED.";

  public static String bankTransactionNotFound(String id) {
    return "Bank Transaction with BankTransactionID " + id + " could not be found.";
  }

  // ---- contacts ----

  public static String contactNameTaken(String name) {
    return "The contact name "
        + name
        + " is already assigned to another contact. The contact name must be unique across all active contacts.";
  }

  /** GarageHive's catalogue. */
  public static final String CONTACT_NUMBER_TAKEN =
      "Another contact has this contact number. Please enter a different contact number.";

  /** Unsourced wording; the 50-character limit is in the Contacts docs. */
  public static final String CONTACT_NUMBER_TOO_LONG =
      "The Contact Number must be 50 characters or fewer.";

  public static final String CONTACT_NAME_REQUIRED = "The contact name must be specified.";

  public static String contactNotFound(String id) {
    return "The contact with ContactID " + id + " could not be found.";
  }

  // ---- allocations ----

  /** Unsourced wording. */
  public static String allocationNotFound(String id) {
    return "Allocation with AllocationID " + id + " could not be found.";
  }

  /** Unsourced wording: an allocation to a voided or deleted invoice cannot be removed. */
  public static final String ALLOCATION_INVOICE_VOIDED =
      "Allocations cannot be deleted from a voided or deleted document.";
}
