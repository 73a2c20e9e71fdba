package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

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
  static String paymentAccountProblem(JsonNode accounts, String code) {
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

  /** A deposit is a bank transaction: its account must be an active BANK account. */
  static String depositAccountProblem(JsonNode accounts, String code) {
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
  static String lockDate(JsonNode organisation) {
    LocalDate x = xeroDate(organisation.path("PeriodLockDate").asText(null));
    LocalDate y = xeroDate(organisation.path("EndOfYearLockDate").asText(null));
    if (x == null) {
      return y == null ? null : y.toString();
    }
    return (y == null || x.isAfter(y) ? x : y).toString();
  }

  /** Xero refuses a document dated on or before the lock date. */
  static String lockDateProblem(String lockDate, String date) {
    if (date == null || lockDate == null || lockDate.isEmpty()) {
      return null;
    }
    if (!LocalDate.parse(date).isAfter(LocalDate.parse(lockDate))) {
      return "The date " + date + " is on or before the organisation's lock date " + lockDate;
    }
    return null;
  }

  private static LocalDate xeroDate(String s) {
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
