package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The rules on accounts and lock dates that both the accounting set-up (against Xero's Accounts and
 * Organisation, when it runs) and the dry run (against the copy the set-up kept) apply. A rule
 * answers null when the value passes, else the problem in words.
 */
final class WriteRules {
  private WriteRules() {}

  /** The active account with this code in Xero's Accounts list. */
  static Optional<JsonNode> activeAccount(JsonNode accounts, String code) {
    for (JsonNode a : accounts) {
      if (code != null
          && code.equals(a.path("Code").asText())
          && "ACTIVE".equals(a.path("Status").asText("ACTIVE"))) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Xero takes payments only into a BANK account or one with "Enable payments to this account"
   * ticked (Xero's Payments docs).
   */
  static @Nullable String paymentAccountProblem(JsonNode accounts, String code) {
    Optional<JsonNode> account = activeAccount(accounts, code);
    if (account.isEmpty()) {
      return "Account code " + code + " is not an active account of the organisation.";
    }
    JsonNode a = account.get();
    if (!"BANK".equals(a.path("Type").asText())
        && !a.path("EnablePaymentsToAccount").asBoolean(false)) {
      return "Account "
          + code
          + " ("
          + a.path("Name").asText()
          + ") takes no payments: choose a bank account, or a current asset such as"
          + " 'Undeposited Funds' with 'Enable payments to this account' ticked.";
    }
    return null;
  }

  /**
   * A line's tax rate must be active and allowed on the line's account: Xero's TaxRates carry
   * CanApplyToAssets/Equity/Expenses/Liabilities/Revenue, and Xero refuses a rate on an account of
   * a class it does not apply to (a purchases-only INPUT2 on Sales 200, say). Bank accounts are not
   * checked, and a rate without the flags (an older copy) passes.
   */
  static @Nullable String taxRateProblem(
      JsonNode taxRates, JsonNode accounts, String taxType, String code) {
    JsonNode rate = null;
    for (JsonNode t : taxRates) {
      if (taxType.equals(t.path("TaxType").asText())
          && "ACTIVE".equals(t.path("Status").asText("ACTIVE"))) {
        rate = t;
      }
    }
    if (rate == null) {
      return "taxType " + taxType + " is not an active tax rate of the organisation";
    }
    Optional<JsonNode> account =
        code == null || accounts == null ? Optional.empty() : activeAccount(accounts, code);
    if (account.isEmpty() || "BANK".equals(account.get().path("Type").asText())) {
      return null;
    }
    String flag =
        "CanApplyTo"
            + switch (Objects.requireNonNullElse(accountClass(account.get()), "")) {
              case "ASSET" -> "Assets";
              case "EQUITY" -> "Equity";
              case "LIABILITY" -> "Liabilities";
              case "REVENUE" -> "Revenue";
              default -> "Expenses";
            };
    if (rate.has(flag) && !rate.get(flag).asBoolean()) {
      return "taxType "
          + taxType
          + " ("
          + rate.path("Name").asText(taxType)
          + ") cannot be used on account "
          + code
          + " ("
          + account.get().path("Name").asText()
          + "): in Xero its "
          + flag
          + " is false";
    }
    return null;
  }

  /** The account's Class as Xero gives it, or derived from its Type as Xero derives it. */
  private static @Nullable String accountClass(JsonNode account) {
    String c = account.path("Class").asText("");
    if (!c.isEmpty()) {
      return c;
    }
    return switch (account.path("Type").asText()) {
      case "BANK", "CURRENT", "FIXED", "INVENTORY", "NONCURRENT", "PREPAYMENT" -> "ASSET";
      case "CURRLIAB", "LIABILITY", "TERMLIAB" -> "LIABILITY";
      case "EQUITY" -> "EQUITY";
      case "REVENUE", "SALES", "OTHERINCOME" -> "REVENUE";
      default -> "EXPENSE";
    };
  }

  /**
   * Xero requires a contact on every bank transaction ("A Contact must be specified for this type
   * of transaction"): a deposit names one, or the set-up gives one for deposits.
   */
  static @Nullable String depositContactProblem(JsonNode deposit, JsonNode settings) {
    if (deposit.hasNonNull("contact")
        || settings.hasNonNull("depositContactId")
        || settings.hasNonNull("depositContact")) {
      return null;
    }
    return "The deposit names no contact and the set-up gives none for deposits: Xero requires a"
        + " contact on every bank transaction";
  }

  /** A deposit is a bank transaction: its account must be an active BANK account. */
  static @Nullable String depositAccountProblem(JsonNode accounts, String code) {
    Optional<JsonNode> d = activeAccount(accounts, code);
    if (d.isEmpty() || !"BANK".equals(d.get().path("Type").asText())) {
      return "Account code " + code + " is not an active bank account of the organisation.";
    }
    return null;
  }

  /**
   * The organisation's lock date as YYYY-MM-DD: the later of PeriodLockDate and EndOfYearLockDate
   * (Xero sends them as /Date(ms)/ or ISO dates), or null when neither is set.
   */
  static @Nullable String lockDate(JsonNode organisation) {
    LocalDate x = xeroDate(organisation.path("PeriodLockDate").asText(null));
    LocalDate y = xeroDate(organisation.path("EndOfYearLockDate").asText(null));
    if (x == null) {
      return y == null ? null : y.toString();
    }
    return (y == null || x.isAfter(y) ? x : y).toString();
  }

  /** Xero refuses a document dated on or before the lock date. */
  static @Nullable String lockDateProblem(@Nullable String lockDate, @Nullable String date) {
    if (date == null || lockDate == null || lockDate.isEmpty()) {
      return null;
    }
    if (!LocalDate.parse(date).isAfter(LocalDate.parse(lockDate))) {
      return "The date " + date + " is on or before the organisation's lock date " + lockDate;
    }
    return null;
  }

  /**
   * The invoice's lines and shipping as Xero adds them up before tax: quantity times unit amount,
   * less the discount, each line rounded to 2 places.
   */
  static BigDecimal linesNet(JsonNode body) {
    BigDecimal net = BigDecimal.ZERO;
    for (JsonNode line : XeroInvoiceElement.lines(body)) {
      net = net.add(lineAmount(line));
    }
    return net;
  }

  /**
   * The total Xero will give the invoice, when our copy of the tax rates settles it: always for
   * NoTax and Inclusive lines (the total is the lines' sum), for Exclusive (Xero's default) only
   * when every line names a tax rate we hold (a line without one takes its account's default).
   */
  static Optional<BigDecimal> expectedTotal(JsonNode body, Map<String, BigDecimal> taxRates) {
    BigDecimal net = BigDecimal.ZERO;
    BigDecimal tax = BigDecimal.ZERO;
    boolean exclusive = "Exclusive".equals(body.path("lineAmountTypes").asText("Exclusive"));
    for (JsonNode line : XeroInvoiceElement.lines(body)) {
      BigDecimal amount = lineAmount(line);
      net = net.add(amount);
      if (exclusive) {
        BigDecimal rate = taxRates.get(line.path("TaxType").asText(""));
        if (rate == null) {
          return Optional.empty();
        }
        tax = tax.add(amount.multiply(rate).movePointLeft(2));
      }
    }
    return Optional.of(net.add(tax.setScale(2, RoundingMode.HALF_UP)));
  }

  /**
   * The claimed total against the lines (exactly when {@link #expectedTotal} settles it, else
   * against the lines before tax): the rule the dry run reports as TOTAL_MISMATCH and the write
   * refuses with a 400.
   */
  static @Nullable String totalProblem(JsonNode body, Map<String, BigDecimal> taxRates) {
    if (!body.hasNonNull("total") || !body.has("lineItems")) {
      return null;
    }
    BigDecimal claimed = body.get("total").decimalValue();
    Optional<BigDecimal> expected = expectedTotal(body, taxRates);
    if (expected.isPresent()) {
      return expected.get().compareTo(claimed) == 0
          ? null
          : "total is " + claimed + " but the lines come to " + expected.get();
    }
    // A tax rate we do not hold: tax is never negative, so the lines before tax are a floor.
    BigDecimal net = linesNet(body);
    return claimed.compareTo(net) < 0
        ? "total is " + claimed + " but the lines come to at least " + net + " before tax"
        : null;
  }

  /**
   * A payment in another currency than its invoice's: Xero pays an invoice only in the invoice's
   * currency, so our copy of the invoice's currency decides.
   */
  static @Nullable String currencyProblem(JsonNode payment, @Nullable String invoiceCurrency) {
    String asked = payment.path("currency").asText(null);
    if (asked == null || invoiceCurrency == null || invoiceCurrency.isEmpty()) {
      return null;
    }
    return asked.equals(invoiceCurrency)
        ? null
        : "currency is " + asked + " but the invoice is in " + invoiceCurrency;
  }

  /**
   * Where the invoice Xero holds differs from what the write asked for (its date, due date or
   * claimed total), in words; empty when Xero holds what was asked.
   */
  static List<String> differences(JsonNode body, JsonNode xeroInvoice) {
    List<String> out = new ArrayList<>();
    differs(out, "date", body, xeroInvoice, "Date");
    differs(out, "dueDate", body, xeroInvoice, "DueDate");
    if (body.hasNonNull("total") && xeroInvoice.hasNonNull("Total")) {
      BigDecimal asked = body.get("total").decimalValue();
      BigDecimal held = xeroInvoice.get("Total").decimalValue();
      if (asked.compareTo(held) != 0) {
        out.add("Xero holds the total as " + held + ", not the " + asked + " asked for.");
      }
    }
    return out;
  }

  private static void differs(
      List<String> out, String field, JsonNode body, JsonNode xero, String xeroField) {
    String asked = body.path(field).asText(null);
    if (asked == null) {
      return;
    }
    String text = xero.path(xeroField + "String").asText(xero.path(xeroField).asText(null));
    LocalDate held = xeroDate(text);
    if (held == null || !held.toString().equals(asked)) {
      out.add(
          "Xero holds "
              + field
              + " as "
              + (held == null ? "nothing" : held.toString())
              + ", not the "
              + asked
              + " asked for.");
    }
  }

  private static BigDecimal lineAmount(JsonNode line) {
    BigDecimal amount =
        line.path("Quantity").decimalValue().multiply(line.path("UnitAmount").decimalValue());
    if (line.has("DiscountRate")) {
      amount =
          amount.multiply(
              BigDecimal.ONE.subtract(line.get("DiscountRate").decimalValue().movePointLeft(2)));
    }
    return amount.setScale(2, RoundingMode.HALF_UP);
  }

  /** A date as Xero sends it (/Date(ms)/ or ISO), or null. */
  static @Nullable LocalDate xeroDate(@Nullable String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    if (s.startsWith("/Date(")) {
      long ms = Long.parseLong(s.replaceAll("/Date\\((-?\\d+).*", "$1"));
      return Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC).toLocalDate();
    }
    return LocalDate.parse(s.substring(0, 10));
  }
}
