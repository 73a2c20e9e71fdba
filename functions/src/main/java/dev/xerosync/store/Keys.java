package dev.xerosync.store;

/** Every key of the single table; see functions/DATA_MODEL.md for the access pattern each serves. */
public final class Keys {
    public static final String INVOICE_SK = "INVOICE";
    public static final String CONTACT_SK = "CONTACT";
    public static final String TOTALS_SK_PREFIX = "TOTALS#";

    public static final String BY_CONTACT_DATE = "ByContactDate";
    public static final String BY_CONTACT_VIEW = "ByContactView";
    public static final String BY_NUMBER = "ByNumber";

    private Keys() {}

    public static String invoicePk(String tenantId, String invoiceId) {
        return "T#" + tenantId + "#INV#" + invoiceId;
    }

    public static String contactPk(String tenantId, String contactId) {
        return "T#" + tenantId + "#C#" + contactId;
    }

    public static String contactViewPk(String tenantId, String contactId, InvoiceBucket bucket) {
        return contactPk(tenantId, contactId) + "#B#" + bucket.name();
    }

    public static String contactNumberPk(String tenantId, String contactId) {
        return contactPk(tenantId, contactId) + "#NUM";
    }

    public static String totalsSk(String type, String currency) {
        return TOTALS_SK_PREFIX + type + "#" + currency;
    }
}
