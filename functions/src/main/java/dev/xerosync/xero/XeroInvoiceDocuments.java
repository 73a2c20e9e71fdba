package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Metrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * An invoice's two documents in Xero: its online invoice link ({@code GET
 * /Invoices/{id}/OnlineInvoice}) and its PDF ({@code GET /Invoices/{id}} with {@code Accept:
 * application/pdf}). One call each, within the call budget.
 */
public final class XeroInvoiceDocuments {
  private final HttpClient http;
  private final URI apiBase;
  private final XeroApi api;

  public XeroInvoiceDocuments(HttpClient http, URI apiBase, CallBudget budget) {
    this.http = http;
    this.apiBase = apiBase;
    this.api = new XeroApi(http, apiBase, budget);
  }

  /** The invoice's online invoice URL; empty when Xero has none for it (404, or none listed). */
  public Optional<String> onlineInvoiceUrl(String tenantId, String accessToken, String invoiceId)
      throws XeroApiException {
    try {
      JsonNode body =
          api.get(
              "/api.xro/2.0/Invoices/" + id(invoiceId) + "/OnlineInvoice",
              tenantId,
              accessToken,
              null);
      String url = body.path("OnlineInvoices").path(0).path("OnlineInvoiceUrl").asText("");
      return url.startsWith("https://") ? Optional.of(url) : Optional.empty();
    } catch (XeroApiException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The invoice's PDF as Xero renders it. */
  public byte[] pdf(String tenantId, String accessToken, String invoiceId) throws XeroApiException {
    String path = "/api.xro/2.0/Invoices/" + id(invoiceId);
    api.waitForBudget(tenantId, path);
    HttpRequest request =
        HttpRequest.newBuilder(apiBase.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + accessToken)
            .header("xero-tenant-id", tenantId)
            .header("Accept", "application/pdf")
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      Metrics.count(Metrics.XERO_CALLS, 1, "Outcome", Metrics.outcomeOf(0));
      throw new XeroApiException(
          0, "Timeout", null, "Xero did not answer " + path + ": " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new XeroApiException(0, "Interrupted", null, "interrupted while calling Xero");
    }
    int status = response.statusCode();
    Metrics.count(Metrics.XERO_CALLS, 1, "Outcome", Metrics.outcomeOf(status));
    api.budget().record(tenantId, XeroApi.rateHeaders(status, response.headers()));
    byte[] body = response.body() == null ? new byte[0] : response.body();
    if (status == 200 && startsWithPdf(body)) {
      return body;
    }
    if (status == 200) {
      throw new XeroApiException(502, "InvalidResponse", null, "Xero sent no PDF for " + path);
    }
    String text;
    try {
      text = XeroApi.decoded(response);
    } catch (IOException e) {
      text = "";
    }
    throw XeroApi.failure(status, response.headers(), text, path);
  }

  private static boolean startsWithPdf(byte[] body) {
    return body.length > 4 && body[0] == '%' && body[1] == 'P' && body[2] == 'D' && body[3] == 'F';
  }

  private static String id(String invoiceId) {
    if (!invoiceId.matches("[0-9A-Fa-f-]{1,64}")) {
      throw new IllegalArgumentException("not a Xero id: " + invoiceId);
    }
    return invoiceId;
  }
}
