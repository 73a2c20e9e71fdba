package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroWrites;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * POST /invoices/{id}/payments: a payment on a linked invoice into the set-up's payment account,
 * with our payment id as its Reference. A payment id recorded once is never sent again; after an
 * ambiguous send, a payment on the invoice with our Reference is adopted.
 */
final class PaymentWrite implements OperationWrite {
  private final OperationLog log;
  private final InvoiceLinks invoices;
  private final ReadYourWrites reads;
  private final Clock clock;

  PaymentWrite(OperationLog log, InvoiceLinks invoices, ReadYourWrites reads, Clock clock) {
    this.log = log;
    this.invoices = invoices;
    this.reads = reads;
    this.clock = clock;
  }

  @Override
  public Completion send(XeroCall c) throws XeroApiException, TokenRefreshException {
    Operation op = c.op();
    JsonNode body = op.request;
    Optional<ObjectNode> paid = log.link(op.tenantId, OperationLog.PAYMENT, op.externalId);
    if (paid.isPresent()) {
      // This payment id was recorded before (a resend without our Idempotency-Key): never twice.
      return Completion.succeeded(
          Map.of(
              "paymentId", paid.get().path("paymentId").asText(),
              "invoiceId", paid.get().path("invoiceId").asText()));
    }
    Optional<ObjectNode> settings = log.settings(op.tenantId);
    if (settings.isEmpty() && log.setupPending(op.tenantId)) {
      return Completion.waitFor("The payment waits for the accounting set-up sent before it.");
    }
    if (settings.isEmpty()) {
      return Completion.failed(
          "SETUP_REQUIRED",
          "The accounting set-up is not done, so there is no account to pay into.",
          "Choose the account payments go into with PUT /tenants/{tenantId}/settings/accounting,"
              + " then send the payment again.");
    }
    Optional<ObjectNode> invoice =
        invoices.find(
            op.tenantId,
            Objects.requireNonNull(
                op.parentExternalId, "a payment names its invoice (Outbox.check)"));
    if (invoice.isEmpty()) {
      return Completion.failed(
          "NOT_IN_XERO",
          "Invoice " + op.parentExternalId + " is not in Xero (its push failed or was skipped).",
          "Push the invoice first, authorised, then send the payment again.");
    }
    String invoiceId = invoice.get().path("invoiceId").asText();
    // Checked at the API too, but the invoice may have reached Xero only after the payment came.
    String currency = WriteRules.currencyProblem(body, invoice.get().path("currency").asText(null));
    if (currency != null) {
      return Completion.failed(
          "CURRENCY_MISMATCH",
          "The payment's " + currency + "; nothing was sent to Xero.",
          "Send the payment in the invoice's currency, under a new paymentId.");
    }
    String reference = op.externalId;
    if (op.ambiguous) {
      Optional<PaymentByReference.Found> found = PaymentByReference.find(c, invoiceId, reference);
      if (found.isPresent()) {
        // Adopted: linked like a payment we saw succeed, so a resend of this id is never sent.
        link(op, found.get().paymentId(), invoiceId);
        reads.invoice(op.tenantId, found.get().invoice());
        return Completion.succeeded(
            Map.of("paymentId", found.get().paymentId(), "invoiceId", invoiceId));
      }
    }
    String account = WriteRequests.text(body, "accountCode");
    if (account == null) {
      account = settings.get().path("paymentAccountCode").asText();
    }
    ObjectNode el = Json.MAPPER.createObjectNode();
    el.putObject("Invoice").put("InvoiceID", invoiceId);
    el.putObject("Account").put("Code", account);
    el.put("Date", body.path("date").asText(LocalDate.now(clock).toString()));
    el.set("Amount", body.get("amount"));
    el.put("Reference", reference);
    XeroWrites.Outcome out = c.write("PUT", "Payments", "Payments", el, "payment");
    if (out.rejected()) {
      return Completion.rejected(out.messages());
    }
    String paymentId = out.saved().path("PaymentID").asText();
    link(op, paymentId, invoiceId);
    reads.payment(op.tenantId, invoiceId, out.saved());
    return Completion.succeeded(Map.of("paymentId", paymentId, "invoiceId", invoiceId));
  }

  private void link(Operation op, String paymentId, String invoiceId) {
    log.putLink(
        op.tenantId,
        OperationLog.PAYMENT,
        op.externalId,
        Json.MAPPER.createObjectNode().put("paymentId", paymentId).put("invoiceId", invoiceId));
  }
}
