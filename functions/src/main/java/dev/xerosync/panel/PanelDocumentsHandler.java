package dev.xerosync.panel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.auth.DocumentLinks;
import dev.xerosync.auth.PanelCors;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.auth.TenantCredential;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.RecordLinks;
import dev.xerosync.tokens.TenantXero;
import dev.xerosync.xero.XeroInvoice;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An invoice's documents for the panel: its online invoice link (fetched from Xero once, then kept)
 * and a short-lived signed link to its PDF, which this function serves by fetching it from Xero
 * through the tenant's Xero access.
 *
 * <p>Costs: the documents route reads the invoice and its kept link (two DynamoDB reads, plus the
 * record's links and pins for a panel token) and calls Xero only the first time for an invoice; the
 * PDF route makes one call to Xero per PDF opened. Both read the tenant's tokens as the sync does
 * (Secrets Manager, cached per container).
 */
public final class PanelDocumentsHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(PanelDocumentsHandler.class);
  static final String PDF_ROUTE = "GET /tenants/{tenantId}/invoices/{invoiceId}/pdf";

  /** Xero gives an online invoice for sales invoices that have been sent or approved. */
  private static final Set<String> ONLINE_STATUSES = Set.of("SUBMITTED", "AUTHORISED", "PAID");

  private final PanelDocumentsWiring w;

  public PanelDocumentsHandler() {
    this(Environment.process());
    Priming.register(PanelDocumentsHandler.class, this::prime);
  }

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public PanelDocumentsHandler(Environment env) {
    this(PanelDocumentsWiring.of(env));
  }

  public PanelDocumentsHandler(PanelDocumentsWiring wiring) {
    this.w = wiring;
  }

  /**
   * Runs both routes' request paths without touching Xero: a PDF link whose signature fails, and a
   * documents request with a panel token that cannot exist (one DynamoDB read).
   */
  public void prime() {
    String nil = "00000000-0000-0000-0000-000000000000";
    Map<String, String> ids = Map.of("tenantId", nil, "invoiceId", nil);
    handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withResource(PDF_ROUTE.substring(4))
            .withPathParameters(ids)
            .withQueryStringParameters(Map.of("expires", "0", "signature", "priming")),
        null);
    handleRequest(
        PanelRoutes.priming(
            PanelTokens.DOCUMENTS_ROUTE,
            "xsp_priming_never_a_real_token",
            ids,
            TenantCredential.panelToken(nil)),
        null);
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, @Nullable Context context) {
    return PanelRoutes.serve(
        LOG,
        w.grants(),
        event,
        Map.of(PanelTokens.DOCUMENTS_ROUTE, this::documents, PDF_ROUTE, this::pdf));
  }

  private APIGatewayProxyResponseEvent documents(APIGatewayProxyRequestEvent event) throws Problem {
    String tenantId = uuid("tenantId", Requests.path(event, "tenantId"));
    String invoiceId = uuid("invoiceId", Requests.path(event, "invoiceId"));
    PanelRoutes.noQuery(event);
    TenantCredential credential = TenantCredential.of(event);
    PanelGrants.Grant grant = null;
    if (credential.isPanelToken()) {
      grant = w.tokens().check(Requests.bearer(event));
      PanelTokens.allows(
          grant, PanelTokens.DOCUMENTS_ROUTE, Map.of("tenantId", tenantId, "invoiceId", invoiceId));
    } else {
      credential.apiKeyFor(tenantId);
    }
    Problem notFound =
        new Problem(
            404,
            "Invoice not found",
            "Invoice "
                + invoiceId
                + " is not synced for this tenant, or not on this panel's record.");
    XeroInvoice inv = w.invoices().get(tenantId, invoiceId).orElseThrow(() -> notFound);
    if (grant != null
        && !w.records()
            .shows(
                tenantId,
                new RecordLinks.Record(grant.recordType(), grant.recordId()),
                inv.contactId(),
                invoiceId)) {
      throw notFound;
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("invoiceId", invoiceId);
    out.put("onlineInvoiceUrl", onlineInvoiceUrl(tenantId, inv).orElse(null));
    DocumentLinks.Signed signed = w.links().sign(tenantId, invoiceId);
    out.put(
        "pdfUrl",
        Requests.baseUrl(event)
            + "/tenants/"
            + tenantId
            + "/invoices/"
            + invoiceId
            + "/pdf?expires="
            + signed.expires()
            + "&signature="
            + URLEncoder.encode(signed.signature(), StandardCharsets.UTF_8));
    out.put("pdfExpiresAt", Instant.ofEpochSecond(signed.expires()).toString());
    return PanelRoutes.json(w.grants(), event, 200, out);
  }

  /** The kept link, or Xero's, fetched once and kept; none for drafts, bills and credit notes. */
  private Optional<String> onlineInvoiceUrl(String tenantId, XeroInvoice inv) throws Problem {
    String invoiceId = java.util.Objects.requireNonNull(inv.invoiceId());
    if (!"ACCREC".equals(inv.type())
        || inv.status() == null
        || !ONLINE_STATUSES.contains(inv.status())) {
      return Optional.empty();
    }
    Optional<String> kept = w.onlineInvoices().get(tenantId, invoiceId);
    if (kept.isPresent()) {
      return kept;
    }
    Optional<String> fetched =
        xero(tenantId, token -> w.documents().onlineInvoiceUrl(tenantId, token, invoiceId));
    fetched.ifPresent(url -> w.onlineInvoices().put(tenantId, invoiceId, url, w.clock().instant()));
    return fetched;
  }

  /** The signed link's target: the PDF from Xero, streamed as it came. */
  private APIGatewayProxyResponseEvent pdf(APIGatewayProxyRequestEvent event) throws Problem {
    String tenantId = uuid("tenantId", Requests.path(event, "tenantId"));
    String invoiceId = uuid("invoiceId", Requests.path(event, "invoiceId"));
    w.links()
        .verify(
            tenantId,
            invoiceId,
            Requests.query(event, "expires"),
            Requests.query(event, "signature"));
    byte[] pdf = xero(tenantId, token -> w.documents().pdf(tenantId, token, invoiceId));
    Map<String, String> headers = new HashMap<>(PanelCors.headers(w.grants(), event));
    headers.put("Content-Type", "application/pdf");
    headers.put("Content-Disposition", "inline; filename=\"invoice-" + invoiceId + ".pdf\"");
    headers.put("Cache-Control", "private, no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(200)
        .withHeaders(headers)
        .withIsBase64Encoded(true)
        .withBody(Base64.getEncoder().encodeToString(pdf));
  }

  /** One call to Xero with the tenant's token; Xero's refusals become problems to show. */
  private <T> T xero(String tenantId, TenantXero.Call<T> call) throws Problem {
    return PanelRoutes.xero(
        w.xero(),
        tenantId,
        call,
        new Problem(
            503,
            "Xero needs reconnecting",
            "Xero no longer accepts this organisation's connection; an admin reconnects it."),
        e -> {
          if (e.status() == 404) {
            return new Problem(404, "Invoice not found", "Xero has no such invoice.");
          }
          LOG.warn("Xero refused an invoice document", "tenantId", tenantId, "status", e.status());
          return new Problem(
              503,
              "Xero unavailable",
              "Xero did not give the document just now; try again shortly.");
        });
  }

  private static String uuid(String name, @Nullable String value) throws Problem {
    return PanelRoutes.uuid(name, value).toLowerCase(Locale.ROOT);
  }
}
