package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PUT /settings/accounting: the account codes are checked against the organisation's Accounts
 * before they are kept, and the reference data the dry run checks against (accounts, tax rates,
 * currencies, lock date) is read and kept with them. With a deposit account it names (or creates,
 * once, looked up first like every contact) the deposits contact. A retry is always safe.
 */
final class AccountingSetup implements OperationWrite {
  /**
   * The deposits contact when the set-up names none: Xero requires a contact on a bank transaction,
   * so a deposit that names no customer goes to this one. Created once, then linked by its number.
   */
  static final ObjectNode DEPOSITS_CONTACT =
      Json.MAPPER
          .createObjectNode()
          .put("externalId", "xero-sync:deposits")
          .put("name", "Deposits");

  private final OperationLog log;
  private final ContactLinks contacts;
  private final Clock clock;

  AccountingSetup(OperationLog log, ContactLinks contacts, Clock clock) {
    this.log = log;
    this.contacts = contacts;
    this.clock = clock;
  }

  @Override
  public Completion send(XeroCall c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    JsonNode accounts = c.lookup("Accounts").path("Accounts");
    ObjectNode reference = log.reference(op.tenantId).orElse(Json.MAPPER.createObjectNode());
    reference.set("accounts", accounts);
    reference.put("accountsFetchedAt", clock.instant().toString());
    cacheOptional(c, reference, "TaxRates", "taxRates");
    cacheOptional(c, reference, "Currencies", "currencies");
    String lock = WriteRules.lockDate(c.lookup("Organisation").path("Organisations").path(0));
    if (lock != null) {
      reference.put("lockDate", lock);
    }
    log.putReference(op.tenantId, reference);
    List<String> problems = new ArrayList<>();
    String pay = op.request.path("paymentAccountCode").asText();
    String payProblem = WriteRules.paymentAccountProblem(accounts, pay);
    if (payProblem != null) {
      problems.add(payProblem);
    }
    String deposit = op.request.path("depositAccountCode").asText(null);
    if (deposit != null) {
      String depositProblem = WriteRules.depositAccountProblem(accounts, deposit);
      if (depositProblem != null) {
        problems.add(depositProblem);
      }
    }
    if (!problems.isEmpty()) {
      return new Completion(
          OperationState.FAILED,
          Map.of(),
          problems,
          "ACCOUNT_INVALID",
          "Choose accounts from the organisation's chart of accounts (Settings > Chart of accounts)"
              + " and send the set-up again.",
          null);
    }
    String accountId =
        WriteRules.activeAccount(accounts, pay).orElseThrow().path("AccountID").asText();
    ObjectNode settings = ((ObjectNode) op.request.deepCopy());
    List<String> notes = List.of();
    if (deposit != null || op.request.has("depositContact")) {
      JsonNode named = op.request.get("depositContact");
      ContactLinks.Result contact =
          contacts.ensure(c, named != null ? named : DEPOSITS_CONTACT, false);
      if (contact.problem() != null) {
        return contact.problem();
      }
      notes = contact.notes();
      settings.put("depositContactId", contact.contactId());
    }
    settings.put("paymentAccountId", accountId);
    settings.put("validatedAt", clock.instant().toString());
    log.putSettings(op.tenantId, settings);
    return Completion.succeeded(Map.of("paymentAccountId", accountId)).warning(notes);
  }

  /** How old the kept accounts and lock date may be before a write reads them again. */
  static final Duration REFERENCE_FRESH = Duration.ofHours(1);

  /**
   * Before a write that a lock date or an account can refuse: when the copy the dry run checks
   * against is over {@link #REFERENCE_FRESH} old, the organisation's accounts and lock date are
   * read again (2 calls, at most once an hour for a tenant that writes; none for one that does
   * not), so a lock date set in Xero after the set-up reaches the dry run within the hour. Without
   * a set-up there is no copy to keep fresh.
   */
  static void refreshIfStale(XeroCall c, OperationLog log, Clock clock)
      throws XeroApiException, TokenRefreshException {
    String tenantId = c.op().tenantId;
    Optional<ObjectNode> kept = log.reference(tenantId);
    if (kept.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    String fetched = kept.get().path("accountsFetchedAt").asText("");
    if (!fetched.isEmpty() && Instant.parse(fetched).plus(REFERENCE_FRESH).isAfter(now)) {
      return;
    }
    ObjectNode reference = kept.get();
    reference.set("accounts", c.lookup("Accounts").path("Accounts"));
    String lock = WriteRules.lockDate(c.lookup("Organisation").path("Organisations").path(0));
    if (lock != null) {
      reference.put("lockDate", lock);
    } else {
      reference.remove("lockDate");
    }
    reference.put("accountsFetchedAt", now.toString());
    log.putReference(tenantId, reference);
  }

  /** Reference data the dry run uses; an endpoint this Xero does not serve is left out. */
  private static void cacheOptional(XeroCall c, ObjectNode reference, String endpoint, String field)
      throws XeroApiException, TokenRefreshException {
    try {
      reference.set(field, c.lookup(endpoint).path(endpoint));
    } catch (XeroApiException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }
}
