package dev.xerosync.query;

import static dev.xerosync.query.QueryResponses.ok;
import static dev.xerosync.query.QueryResponses.problem;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.auth.TenantCredential;
import dev.xerosync.common.Environment;
import dev.xerosync.common.HttpCaching;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.store.AgingLedger;
import dev.xerosync.store.AgingSummary;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.InvoiceJson;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.InvoiceViews;
import dev.xerosync.store.Organisations;
import dev.xerosync.store.Organisations.Organisation;
import dev.xerosync.store.PageCursor;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.ViewQuery;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroInvoice;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The query API: views, totals and aging of a contact's invoices, one invoice, a tenant's aging,
 * and the OpenAPI document; a CRM record's routes are {@link RecordRoutes}'. Every tenant route
 * first reads the credential the authorizer accepted (an API key or a panel token) and refuses any
 * tenant in the path but the one it was issued for.
 */
public final class QueryHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(QueryHandler.class);
  private static final Set<String> CONTACT_VIEWS =
      Set.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all");

  private final Organisations organisations;
  private final ContactStore contacts;
  private final InvoiceViews views;
  private final InvoiceStore invoiceStore;
  private final AgingLedger agingLedger;
  private final PanelTokens panelTokens;
  private final PanelGrants panelGrants;
  private final RecordRoutes recordRoutes;
  private final Clock clock;

  private static final APIGatewayProxyRequestEvent.ProxyRequestContext PRIMING_CONTEXT =
      TenantCredential.apiKey("00000000-0000-0000-0000-000000000000", null).requestContext();

  /** Who is calling: the tenant, and the panel grant when it is a panel in a browser. */
  private record Access(String tenantId, PanelGrants.@Nullable Grant panel) {}

  public QueryHandler() {
    this(Environment.process());
    Priming.register(QueryHandler.class, this::prime);
  }

  /**
   * Serves a request for a tenant that cannot exist: routing, the authorizer's context, an invoice
   * lookup (a DynamoDB read) and a problem document, so the snapshot holds warm classes and a warm
   * client, and no tenant's data.
   */
  public void prime() {
    String nil = "00000000-0000-0000-0000-000000000000";
    route(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withResource("/tenants/{tenantId}/invoices/{invoiceId}")
            .withPath("/tenants/" + nil + "/invoices/" + nil)
            .withPathParameters(Map.of("tenantId", nil, "invoiceId", nil))
            .withRequestContext(PRIMING_CONTEXT));
  }

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public QueryHandler(Environment env) {
    this(QueryWiring.of(env));
  }

  public QueryHandler(QueryWiring w) {
    this.organisations = w.organisations();
    this.contacts = w.contacts();
    this.views = w.views();
    this.invoiceStore = w.invoiceStore();
    this.agingLedger = w.agingLedger();
    this.panelGrants = w.panelGrants();
    this.panelTokens = w.panelTokens();
    this.recordRoutes = new RecordRoutes(w);
    this.clock = w.clock();
  }

  @Override
  @SuppressWarnings("try") // the scope is used through Log's thread context
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    var path = event.getPathParameters();
    try (var scope =
        Log.scope(
            Log.CORRELATION_ID,
            context == null ? null : context.getAwsRequestId(),
            Log.TENANT_ID,
            path == null ? null : path.get("tenantId"))) {
      return route(event);
    }
  }

  private APIGatewayProxyResponseEvent route(APIGatewayProxyRequestEvent event) {
    ApiRequest req = new ApiRequest(event);
    return withCors(req, serve(req));
  }

  /**
   * A browser may read the answer only from an origin the tenant lets embed its panel (the
   * preflight is PanelHandler's).
   */
  private APIGatewayProxyResponseEvent withCors(
      ApiRequest req, APIGatewayProxyResponseEvent response) {
    String origin = req.header("Origin");
    String tenantId = req.pathParameters().get("tenantId");
    if (origin == null || tenantId == null || !ApiRequest.isUuidText(tenantId)) {
      return response;
    }
    if (!panelGrants.origins(tenantId).contains(origin)) {
      return response;
    }
    Map<String, String> headers = new HashMap<>(response.getHeaders());
    headers.putAll(PanelTokens.corsHeaders(origin));
    headers.merge("Vary", "Origin", (a, b) -> a + ", " + b);
    return response.withHeaders(headers);
  }

  private APIGatewayProxyResponseEvent serve(ApiRequest req) {
    String route = req.route();
    try {
      if (route.equals("GET /openapi.yaml")) {
        req.onlyParams(Set.of());
        return HttpCaching.ok(
            req.header("If-None-Match"),
            OpenApiDocument.text(),
            "application/yaml",
            HttpCaching.PUBLIC_FIVE_MINUTES,
            Map.of());
      }
      Access access = authorise(req);
      String tenantId = access.tenantId();
      return switch (route) {
        case "GET /tenants/{tenantId}/contacts/{contactId}/invoices" ->
            contactInvoices(req, tenantId);
        case "GET /tenants/{tenantId}/contacts/{contactId}/totals" -> contactTotals(req, tenantId);
        case "GET /tenants/{tenantId}/contacts/{contactId}/aging" -> contactAging(req, tenantId);
        case "GET /tenants/{tenantId}/invoices/{invoiceId}" -> invoice(req, access);
        case "GET /tenants/{tenantId}/aging" -> tenantAging(req, tenantId);
        default ->
            RecordRoutes.serves(route)
                ? recordRoutes.serve(req, tenantId)
                : QueryResponses.noSuchRoute(route);
      };
    } catch (Problem e) {
      return problem(e);
    } catch (RuntimeException e) {
      LOG.error("query failed", e, "route", route);
      return problem(
          new Problem(500, "Internal error", "The request could not be served; retry later."));
    }
  }

  /**
   * The tenant in the path, once the credential the authorizer accepted is shown to be issued for
   * exactly that tenant (and, for a panel token, for this route and record).
   */
  private Access authorise(ApiRequest req) throws Problem {
    TenantCredential credential = TenantCredential.of(req.event());
    if (credential.isPanelToken()) {
      PanelGrants.Grant grant = panelTokens.check(req.bearer());
      PanelTokens.allows(grant, req.route(), req.pathParameters());
      return new Access(req.uuid("tenantId"), grant);
    }
    return new Access(credential.apiKeyFor(req.uuid("tenantId")), null);
  }

  // ---- contacts

  private APIGatewayProxyResponseEvent contactInvoices(ApiRequest req, String tenantId)
      throws Problem {
    req.onlyParams(ApiRequest.with(ApiRequest.LIST_PARAMS, "customersOnly"));
    String contactId = req.uuid("contactId");
    boolean customersOnly = req.boolQuery("customersOnly", true);
    Organisation org = organisations.get(tenantId);
    LocalDate today = org.today(clock);
    ViewQuery q = req.viewQuery(today, CONTACT_VIEWS);
    PageCursor.State state = req.viewCursor(q, tenantId, contactId::equals);
    Optional<XeroContact> contact = contacts.get(tenantId, contactId);
    if (customersOnly && contact.isPresent() && !contact.get().isCustomer()) {
      throw new Problem(
          404,
          "Not a customer",
          "Contact "
              + contactId
              + " is not a customer in Xero, and views list "
              + "customers only by default; pass customersOnly=false to list its invoices anyway.");
    }
    InvoiceViews.Page page =
        views.list(tenantId, List.of(contactId), q, state.positions(), state.done());
    ObjectNode body = QueryBodies.page(q, org);
    ObjectNode c = body.putObject("contact").put("contactId", contactId);
    c.put("name", contact.map(XeroContact::name).orElse(null));
    if (contact.isPresent()) {
      c.put("isCustomer", contact.get().isCustomer());
    }
    return ok(
        req,
        QueryBodies.rows(
            body,
            page.rows(),
            org,
            today,
            PageCursor.encode(q.listing(), page.positions(), page.done())));
  }

  private APIGatewayProxyResponseEvent contactTotals(ApiRequest req, String tenantId)
      throws Problem {
    req.onlyParams(Set.of("type"));
    String contactId = req.uuid("contactId");
    String type = req.typeParam("ACCREC");
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("contact").put("contactId", contactId);
    QueryBodies.totals(
        body,
        invoiceStore.totals(tenantId, contactId),
        type,
        "/tenants/" + tenantId + "/contacts/" + contactId + "/invoices");
    return ok(req, body);
  }

  private APIGatewayProxyResponseEvent contactAging(ApiRequest req, String tenantId)
      throws Problem {
    req.onlyParams(Set.of("type"));
    String contactId = req.uuid("contactId");
    String type = req.typeParam("ACCREC");
    Organisation org = organisations.get(tenantId);
    AgingSummary summary = new AgingSummary(org.today(clock));
    summary.addUnpaid(views.unpaid(tenantId, contactId), type);
    ObjectNode body = QueryBodies.aging(summary, org, type);
    body.putObject("contact").put("contactId", contactId);
    return ok(req, body);
  }

  // ---- invoices and tenant

  private APIGatewayProxyResponseEvent invoice(ApiRequest req, Access access) throws Problem {
    String tenantId = access.tenantId();
    req.onlyParams(Set.of());
    String invoiceId = req.uuid("invoiceId");
    XeroInvoice inv =
        views
            .invoice(tenantId, invoiceId)
            .orElseThrow(
                () ->
                    new Problem(
                        404,
                        "Invoice not found",
                        "Invoice "
                            + invoiceId
                            + " is not synced for tenant "
                            + tenantId
                            + "; check the id, or wait a few seconds after creating it in Xero."));
    if (access.panel() != null && !recordRoutes.onPanelRecord(tenantId, access.panel(), inv)) {
      throw new Problem(
          404,
          "Invoice not found",
          "Invoice "
              + invoiceId
              + " is not on this panel's record; a panel token reads only those.");
    }
    Organisation org = organisations.get(tenantId);
    return ok(req, InvoiceJson.detail(inv, org, org.today(clock)));
  }

  private APIGatewayProxyResponseEvent tenantAging(ApiRequest req, String tenantId) throws Problem {
    req.onlyParams(Set.of("type"));
    String type = req.typeParam("ACCREC");
    Organisation org = organisations.get(tenantId);
    return ok(
        req, QueryBodies.aging(agingLedger.read(tenantId, type, org.today(clock)), org, type));
  }
}
