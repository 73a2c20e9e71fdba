package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * The fields Xero's models have, per collection, from the spec's components.schemas
 * (xero_accounting.yaml: Invoice, BankTransaction, Payment, Contact, LineItem). Xero reads a
 * request into its models, so a field they lack (a misspelt key) is dropped on the way in and never
 * comes back in a refused element.
 */
final class ElementFields {
  private ElementFields() {}

  private static final Set<String> LINE_ITEM =
      Set.of(
          "AccountCode",
          "AccountID",
          "Description",
          "DiscountAmount",
          "DiscountRate",
          "Item",
          "ItemCode",
          "LineAmount",
          "LineItemID",
          "Quantity",
          "RepeatingInvoiceID",
          "SalesTaxCodeId",
          "TaxAmount",
          "TaxBreakdown",
          "TaxType",
          "Taxability",
          "Tracking",
          "UnitAmount");

  private static final Set<String> CONTACT =
      Set.of(
          "AccountNumber",
          "AccountsPayableTaxType",
          "AccountsReceivableTaxType",
          "Addresses",
          "Attachments",
          "Balances",
          "BankAccountDetails",
          "BatchPayments",
          "BrandingTheme",
          "CompanyNumber",
          "ContactGroups",
          "ContactID",
          "ContactNumber",
          "ContactPersons",
          "ContactStatus",
          "DefaultCurrency",
          "Discount",
          "EmailAddress",
          "FirstName",
          "HasAttachments",
          "HasValidationErrors",
          "IsCustomer",
          "IsSupplier",
          "LastName",
          "MergedToContactID",
          "Name",
          "PaymentTerms",
          "Phones",
          "PurchasesDefaultAccountCode",
          "PurchasesDefaultLineAmountType",
          "PurchasesTrackingCategories",
          "SalesDefaultAccountCode",
          "SalesDefaultLineAmountType",
          "SalesTrackingCategories",
          "StatusAttributeString",
          "TaxNumber",
          "TaxNumberType",
          "TrackingCategoryName",
          "TrackingCategoryOption",
          "UpdatedDateUTC",
          "ValidationErrors",
          "Website",
          "XeroNetworkKey");

  private static final Map<String, Set<String>> BY_COLLECTION =
      Map.of(
          "Invoices",
          Set.of(
              "AmountCredited",
              "AmountDue",
              "AmountPaid",
              "Attachments",
              "BrandingThemeID",
              "CISDeduction",
              "CISRate",
              "Contact",
              "CreditNotes",
              "CurrencyCode",
              "CurrencyRate",
              "Date",
              "DueDate",
              "ExpectedPaymentDate",
              "FullyPaidOnDate",
              "HasAttachments",
              "HasErrors",
              "InvoiceAddresses",
              "InvoiceID",
              "InvoiceNumber",
              "IsDiscounted",
              "LineAmountTypes",
              "LineItems",
              "Overpayments",
              "Payments",
              "PlannedPaymentDate",
              "Prepayments",
              "Reference",
              "RepeatingInvoiceID",
              "SentToContact",
              "Status",
              "StatusAttributeString",
              "SubTotal",
              "Total",
              "TotalDiscount",
              "TotalTax",
              "Type",
              "UpdatedDateUTC",
              "UpdatedDateUTCString",
              "Url",
              "ValidationErrors",
              "Warnings"),
          "BankTransactions",
          Set.of(
              "BankAccount",
              "BankTransactionID",
              "Contact",
              "CurrencyCode",
              "CurrencyRate",
              "Date",
              "HasAttachments",
              "IsReconciled",
              "LineAmountTypes",
              "LineItems",
              "OverpaymentID",
              "PrepaymentID",
              "Reference",
              "Status",
              "StatusAttributeString",
              "SubTotal",
              "Total",
              "TotalTax",
              "Type",
              "UpdatedDateUTC",
              "Url",
              "ValidationErrors"),
          "Payments",
          Set.of(
              "Account",
              "Amount",
              "BankAccountNumber",
              "BankAmount",
              "BatchPayment",
              "BatchPaymentID",
              "Code",
              "CreditNote",
              "CreditNoteNumber",
              "CurrencyRate",
              "Date",
              "Details",
              "HasAccount",
              "HasValidationErrors",
              "Invoice",
              "InvoiceNumber",
              "IsReconciled",
              "Overpayment",
              "Particulars",
              "PaymentID",
              "PaymentType",
              "Prepayment",
              "Reference",
              "Status",
              "StatusAttributeString",
              "UpdatedDateUTC",
              "UpdatedDateUTCString",
              "ValidationErrors",
              "Warnings"),
          "Contacts",
          CONTACT);

  /**
   * The element with only the fields Xero's model of it has (at the top, its lines, its contact).
   */
  static ObjectNode known(ObjectNode el, String collection) {
    Set<String> fields = BY_COLLECTION.get(collection);
    if (fields == null) {
      return el;
    }
    el.retain(fields);
    if (el.get("LineItems") instanceof com.fasterxml.jackson.databind.node.ArrayNode lines) {
      for (JsonNode line : lines) {
        if (line instanceof ObjectNode l) {
          l.retain(LINE_ITEM);
        }
      }
    }
    if (!"Contacts".equals(collection) && el.get("Contact") instanceof ObjectNode c) {
      c.retain(CONTACT);
    }
    return el;
  }
}
