package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dry run applies the set-up's own rules (WriteRules) to the reference data it kept. */
class DryRunTest {
  private final WritePath w = new WritePath();
  private final DryRun dryRun =
      new DryRun(w.log, w.readSide, (tenantId, contactId) -> Optional.empty());

  DryRunTest() {
    // What the set-up keeps: Xero's accounts and the later lock date.
    w.log.putReference(
        WritePath.TENANT,
        Json.MAPPER
            .createObjectNode()
            .put("lockDate", "2025-12-31")
            .set("accounts", w.xero.accounts.deepCopy()));
  }

  private JsonNode codes(OperationKind kind, String externalId, String parent, String body) {
    JsonNode out =
        dryRun.check(
            new Outbox.Write(
                WritePath.TENANT, kind, externalId, parent, WritePath.json(body), null));
    return out.path("problems");
  }

  @Test
  void aSetUpWithAnAccountThatTakesNoPaymentsIsRefusedAsTheSetUpWouldRefuseIt() {
    JsonNode problems =
        codes(
            OperationKind.ACCOUNTING_SETTINGS,
            "accounting",
            null,
            "{\"paymentAccountCode\":\"200\",\"depositAccountCode\":\"610\"}");

    assertThat(problems.findValuesAsText("code"))
        .containsExactly("ACCOUNT_INVALID", "ACCOUNT_INVALID");
    assertThat(problems.get(0).path("message").asText())
        .isEqualTo(WriteRules.paymentAccountProblem(w.xero.accounts, "200"));
    assertThat(problems.findValuesAsText("field"))
        .containsExactly("paymentAccountCode", "depositAccountCode");
  }

  @Test
  void aGoodSetUpHasNoProblems() {
    assertThat(
            codes(
                OperationKind.ACCOUNTING_SETTINGS,
                "accounting",
                null,
                "{\"paymentAccountCode\":\"610\",\"depositAccountCode\":\"091\"}"))
        .isEmpty();
  }

  @Test
  void aDepositOnTheLockDateOrIntoAnUnknownAccountIsRefused() {
    JsonNode problems =
        codes(
            OperationKind.DEPOSIT,
            null,
            null,
            "{\"depositId\":\"d\",\"amount\":5,\"accountCode\":\"999\",\"date\":\"2025-12-31\"}");

    assertThat(problems.findValuesAsText("code")).containsExactly("ACCOUNT_INVALID", "LOCK_DATE");
    assertThat(problems.get(1).path("message").asText())
        .isEqualTo(WriteRules.lockDateProblem("2025-12-31", "2025-12-31"));
  }

  @Test
  void aPaymentIntoAnAccountThatTakesNoPaymentsIsRefused() {
    w.setUp();
    w.records.putLink(
        WritePath.TENANT,
        OperationLog.INVOICE,
        "inv",
        "{\"invoiceId\":\"id-1\",\"status\":\"AUTHORISED\"}");

    JsonNode problems =
        codes(
            OperationKind.PAYMENT,
            "pay",
            "inv",
            "{\"paymentId\":\"pay\",\"amount\":5,\"accountCode\":\"200\",\"date\":\"2026-01-05\"}");

    assertThat(problems.findValuesAsText("code")).containsExactly("ACCOUNT_INVALID");
    assertThat(
            codes(
                OperationKind.PAYMENT,
                "pay",
                "inv",
                "{\"paymentId\":\"pay\",\"amount\":5,\"date\":\"2026-01-05\"}"))
        .as("the set-up's account, a bank")
        .isEmpty();
  }
}
