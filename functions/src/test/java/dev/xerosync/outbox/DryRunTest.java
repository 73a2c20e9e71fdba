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
            "{\"depositId\":\"d\",\"amount\":5,\"accountCode\":\"999\",\"date\":\"2025-12-31\","
                + "\"contact\":{\"externalId\":\"c\",\"name\":\"C\"}}");

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

  private Outbox.Write write(OperationKind kind, String externalId, String parent, String body) {
    return new Outbox.Write(WritePath.TENANT, kind, externalId, parent, WritePath.json(body), null);
  }

  /**
   * Issue 29 finding 6: a claimed total the lines do not come to is the dry run's TOTAL_MISMATCH
   * and the real write's 400, in the same words.
   */
  @Test
  void aClaimedTotalTheLinesDoNotComeToIsRefusedOnTheWriteAsTheDryRunReportsIt() {
    Outbox.Write wrong =
        write(
            OperationKind.INVOICE_UPSERT,
            "tot-1",
            null,
            "{\"lineAmountTypes\":\"NoTax\",\"total\":99,\"lineItems\":[{\"description\":\"x\","
                + "\"quantity\":2,\"unitAmount\":10,\"accountCode\":\"200\"}]}");

    JsonNode problems = dryRun.check(wrong).path("problems");
    assertThat(problems.findValuesAsText("code")).containsExactly("TOTAL_MISMATCH");
    assertThat(dryRun.refusal(wrong))
        .isNotNull()
        .satisfies(p -> assertThat(p.status()).isEqualTo(400))
        .satisfies(
            p -> assertThat(p.getMessage()).isEqualTo(problems.get(0).path("message").asText()));
    assertThat(
            dryRun.refusal(
                write(
                    OperationKind.INVOICE_UPSERT,
                    "tot-2",
                    null,
                    wrong.body().toString().replace("\"total\":99", "\"total\":20"))))
        .isNull();
  }

  @Test
  void aTotalUnderTheLinesIsAMismatchEvenWhenTheTaxIsUnknown() {
    Outbox.Write under =
        write(
            OperationKind.INVOICE_UPSERT,
            "tot-3",
            null,
            "{\"total\":1,\"lineItems\":[{\"description\":\"x\",\"quantity\":1,"
                + "\"unitAmount\":10,\"accountCode\":\"200\",\"taxType\":\"OUTPUT2\"}]}");

    assertThat(dryRun.refusal(under)).isNotNull();
    assertThat(
            dryRun.refusal(
                write(
                    OperationKind.INVOICE_UPSERT,
                    "tot-4",
                    null,
                    under.body().toString().replace("\"total\":1", "\"total\":11.5"))))
        .as("tax we hold no rate for may make up the difference")
        .isNull();
  }

  /** Issue 25 finding 6: a payment in another currency than its invoice's is a 400. */
  @Test
  void aPaymentInAnotherCurrencyThanItsInvoiceIsRefused() {
    w.setUp();
    w.records.putLink(
        WritePath.TENANT,
        OperationLog.INVOICE,
        "inv-fx",
        "{\"invoiceId\":\"id-fx\",\"status\":\"AUTHORISED\",\"currency\":\"NZD\"}");
    Outbox.Write usd =
        write(
            OperationKind.PAYMENT,
            "p-fx",
            "inv-fx",
            "{\"paymentId\":\"p-fx\",\"amount\":10,\"currency\":\"USD\"}");

    assertThat(dryRun.check(usd).path("problems").findValuesAsText("code"))
        .containsExactly("CURRENCY_MISMATCH");
    assertThat(dryRun.refusal(usd).getMessage())
        .isEqualTo("currency is USD but the invoice is in NZD");
    assertThat(
            dryRun.refusal(
                write(
                    OperationKind.PAYMENT,
                    "p-fx",
                    "inv-fx",
                    "{\"paymentId\":\"p-fx\",\"amount\":10,\"currency\":\"NZD\"}")))
        .isNull();
  }

  /** Issue 25 finding 8: a draft is deleted, so voiding one is no problem. */
  @Test
  void voidingADraftIsNoProblemButVoidingAPaidInvoiceIs() {
    w.records.putLink(
        WritePath.TENANT,
        OperationLog.INVOICE,
        "inv-d",
        "{\"invoiceId\":\"id-d\",\"status\":\"DRAFT\"}");
    w.records.putLink(
        WritePath.TENANT,
        OperationLog.INVOICE,
        "inv-p",
        "{\"invoiceId\":\"id-p\",\"status\":\"PAID\"}");

    assertThat(codes(OperationKind.INVOICE_VOID, "inv-d", null, "{}")).isEmpty();
    assertThat(codes(OperationKind.INVOICE_VOID, "inv-p", null, "{}").findValuesAsText("code"))
        .containsExactly("STATUS_NOT_MODIFIABLE");
  }

  /** Issue 25 finding 14: a purchases-only tax rate on a sales line passed the dry run. */
  @Test
  void aPurchasesOnlyTaxRateOnASalesLineIsRefusedByItsCanApplyToFlags() {
    w.log.putReference(
        WritePath.TENANT,
        w.log
            .reference(WritePath.TENANT)
            .orElseThrow()
            .set(
                "taxRates",
                WritePath.json(
                        "{\"r\":[{\"TaxType\":\"INPUT2\",\"Name\":\"GST on Expenses\","
                            + "\"Status\":\"ACTIVE\",\"EffectiveRate\":15,"
                            + "\"CanApplyToExpenses\":true,\"CanApplyToRevenue\":false},"
                            + "{\"TaxType\":\"OUTPUT2\",\"Status\":\"ACTIVE\",\"EffectiveRate\":15,"
                            + "\"CanApplyToRevenue\":true}]}")
                    .get("r")));
    String line =
        "{\"lineItems\":[{\"description\":\"x\",\"quantity\":1,\"unitAmount\":10,"
            + "\"accountCode\":\"200\",\"taxType\":\"TAX\"}]}";

    JsonNode problems =
        codes(OperationKind.INVOICE_UPSERT, "tax-1", null, line.replace("TAX", "INPUT2"));

    assertThat(problems.findValuesAsText("code")).containsExactly("TAX_RATE_INVALID");
    assertThat(problems.get(0).path("message").asText()).contains("CanApplyToRevenue is false");
    assertThat(codes(OperationKind.INVOICE_UPSERT, "tax-2", null, line.replace("TAX", "OUTPUT2")))
        .isEmpty();
  }

  /** Issue 25 finding 14: Xero requires a contact on every bank transaction. */
  @Test
  void aDepositWithNoContactIsRefusedUnlessTheSetUpGivesOne() {
    String deposit = "{\"depositId\":\"d\",\"amount\":5,\"accountCode\":\"200\"}";

    assertThat(codes(OperationKind.DEPOSIT, null, null, deposit).findValuesAsText("code"))
        .containsExactly("CONTACT_REQUIRED");
    assertThat(
            codes(
                OperationKind.DEPOSIT,
                null,
                null,
                deposit.replace("}", ",\"contact\":{\"externalId\":\"c\",\"name\":\"C\"}}")))
        .isEmpty();
  }

  /** Issue 25 finding 14: a lock date set in Xero after the set-up passed the dry run. */
  @Test
  void aLockDateSetInXeroAfterTheSetUpReachesTheDryRunWithinTheHour() {
    w.setUp();
    w.log.putReference(
        WritePath.TENANT,
        w.log
            .reference(WritePath.TENANT)
            .orElseThrow()
            .put(
                "accountsFetchedAt",
                w.clock.instant().minus(java.time.Duration.ofMinutes(30)).toString()));
    w.xero.organisation.put("PeriodLockDate", "2026-11-15T00:00:00");
    String invoice = WritePath.invoice("lc", "AUTHORISED", 10);

    w.runToEnd(w.accept(OperationKind.INVOICE_UPSERT, "lock-1", null, invoice));
    assertThat(w.xero.reads)
        .as("a copy under an hour old is not read again")
        .doesNotContain("Organisation");
    assertThat(codes(OperationKind.INVOICE_UPSERT, "lock-2", null, invoice)).isEmpty();

    w.clock.advance(java.time.Duration.ofMinutes(31));
    int before = w.xero.reads.size();
    w.runToEnd(w.accept(OperationKind.INVOICE_UPSERT, "lock-3", null, invoice));

    assertThat(w.xero.reads.subList(before, w.xero.reads.size()))
        .as("an hour old: accounts and organisation, 2 calls")
        .contains("Accounts", "Organisation");
    assertThat(
            codes(OperationKind.INVOICE_UPSERT, "lock-4", null, invoice).findValuesAsText("code"))
        .containsExactly("LOCK_DATE");
    assertThat(w.log.reference(WritePath.TENANT).orElseThrow().path("accountsFetchedAt").asText())
        .isEqualTo(w.clock.instant().toString());
  }
}
