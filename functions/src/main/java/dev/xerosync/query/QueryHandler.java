package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Money;
import dev.xerosync.common.Priming;
import dev.xerosync.store.AgingLedger;
import dev.xerosync.store.AgingSummary;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.ContactStore;
import dev.xerosync.store.ContactTotals;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.InvoiceView;
import dev.xerosync.store.InvoiceViews;
import dev.xerosync.store.Keys;
import dev.xerosync.store.Organisations;
import dev.xerosync.store.Organisations.Organisation;
import dev.xerosync.store.PageCursor;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.RecordLinks;
import dev.xerosync.store.ViewQuery;
import dev.xerosync.xero.XeroContact;
import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The query API: views, totals and aging of a contact's or a CRM record's invoices, records' links
 * and pins, and the OpenAPI document. Every tenant route first maps the {@code x-api-key} header to
 * the tenant it was issued for, and refuses any other tenant in the path.
 */
public final class QueryHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(QueryHandler.class);
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;
  static final Set<String> XERO_STATUSES =
      Set.of("DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED");
  private static final Set<String> LIST_PARAMS =
      Set.of(
          "view", "status", "type", "currency", "from", "to", "number", "match", "limit", "cursor");
  private static final Set<String> CONTACT_VIEWS =
      Set.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all");
  private static final Set<String> RECORD_VIEWS =
      Set.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all", "pinned");
  private static final String PINS_LISTING = "Pins";
  private static final int MAX_LINKS_AND_PINS = 100;
  private static final String JSON = "application/json";

  private final ApiKeys apiKeys;
  private final Organisations organisations;
  private final ContactStore contacts;
  private final InvoiceViews views;
  private final InvoiceStore invoiceStore;
  private final RecordLinks records;
  private final AgingLedger agingLedger;
  private final PanelTokens panelTokens;
  private final PanelGrants panelGrants;
  private final Clock clock;

  /** Who is calling: the tenant, and the panel grant when it is a panel in a browser. */
  private record Access(String tenantId, PanelGrants.Grant panel) {}

  public QueryHandler() {
    this(Environment.process());
    Priming.register(QueryHandler.class, this::prime);
  }

  /**
   * Serves a request with a key that cannot exist: routing, the key lookup (a DynamoDB read) and a
   * problem document, so the snapshot holds warm classes and a warm client, and no tenant's data.
   */
  public void prime() {
    String nil = "00000000-0000-0000-0000-000000000000";
    route(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withResource("/tenants/{tenantId}/invoices/{invoiceId}")
            .withPath("/tenants/" + nil + "/invoices/" + nil)
            .withHeaders(Map.of("x-api-key", "xs_priming_never_a_real_key"))
            .withPathParameters(Map.of("tenantId", nil, "invoiceId", nil)));
  }

  public QueryHandler(Environment env) {
    this(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), Clock.systemUTC());
  }

  public QueryHandler(DynamoDbClient dynamo, String table, Clock clock) {
    this.apiKeys = new ApiKeys(dynamo, table, clock);
    this.organisations = new Organisations(dynamo, table, clock);
    this.contacts = new ContactStore(dynamo, table);
    this.views = new InvoiceViews(dynamo, table);
    this.invoiceStore = new InvoiceStore(dynamo, table, clock);
    this.records = new RecordLinks(dynamo, table);
    this.agingLedger = new AgingLedger(dynamo, table);
    this.panelGrants = new PanelGrants(dynamo, table);
    this.panelTokens = new PanelTokens(panelGrants, clock);
    this.clock = clock;
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
            null);
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
        case "GET /tenants/{tenantId}/records/{recordType}/{recordId}" -> record(req, tenantId);
        case "POST /tenants/{tenantId}/records/{recordType}/{recordId}/links" ->
            link(req, tenantId);
        case "DELETE /tenants/{tenantId}/records/{recordType}/{recordId}/links/{contactId}" ->
            unlink(req, tenantId);
        case "POST /tenants/{tenantId}/records/{recordType}/{recordId}/pins" -> pin(req, tenantId);
        case "DELETE /tenants/{tenantId}/records/{recordType}/{recordId}/pins/{invoiceId}" ->
            unpin(req, tenantId);
        case "GET /tenants/{tenantId}/records/{recordType}/{recordId}/invoices" ->
            recordInvoices(req, tenantId);
        case "GET /tenants/{tenantId}/records/{recordType}/{recordId}/totals" ->
            recordTotals(req, tenantId);
        case "GET /tenants/{tenantId}/records/{recordType}/{recordId}/aging" ->
            recordAging(req, tenantId);
        default ->
            problem(
                404,
                "No such route",
                "There is no route "
                    + route
                    + "; see the API's OpenAPI document at /openapi.yaml.");
      };
    } catch (BadRequest e) {
      return problem(400, "Invalid request", e.getMessage());
    } catch (ApiProblem e) {
      return problem(e.status, e.title, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("query failed", e, "route", route);
      return problem(500, "Internal error", "The request could not be served; retry later.");
    }
  }

  /**
   * The tenant in the path, once the caller's API key is shown to be issued for exactly that
   * tenant.
   */
  private Access authorise(ApiRequest req) throws BadRequest, ApiProblem {
    String bearer = req.bearer();
    if (PanelTokens.isPanelToken(bearer)) {
      try {
        PanelGrants.Grant grant = panelTokens.check(bearer);
        PanelTokens.allows(grant, req.route(), req.pathParameters());
        return new Access(req.uuid("tenantId"), grant);
      } catch (PanelTokens.Denied e) {
        throw new ApiProblem(
            e.status(),
            e.status() == 401 ? "Panel token not valid" : "Not this panel's record",
            e.getMessage());
      }
    }
    String key = req.header("x-api-key");
    if (key == null || key.isBlank()) {
      throw new ApiProblem(
          401,
          "API key required",
          "Send your API key in the x-api-key header; an admin issues keys per tenant.");
    }
    ApiKeys.Caller caller =
        apiKeys
            .caller(key)
            .orElseThrow(
                () ->
                    new ApiProblem(
                        401,
                        "API key not valid",
                        "The x-api-key header holds no live API key: it was revoked or mistyped. Ask an admin for a key."));
    String tenantId = req.uuid("tenantId");
    if (!caller.tenantId().equals(tenantId)) {
      LOG.warn(
          "API key used for another tenant", "keyId", caller.keyId(), "pathTenantId", tenantId);
      throw new ApiProblem(
          403,
          "Not your tenant",
          "This API key is scoped to one tenant, and it is not "
              + tenantId
              + ". Use the tenant id the key was issued for.");
    }
    return new Access(tenantId, null);
  }

  // ---- contacts

  private APIGatewayProxyResponseEvent contactInvoices(ApiRequest req, String tenantId)
      throws BadRequest, ApiProblem {
    req.onlyParams(with(LIST_PARAMS, "customersOnly"));
    String contactId = req.uuid("contactId");
    boolean customersOnly = req.boolQuery("customersOnly", true);
    Organisation org = organisations.get(tenantId);
    LocalDate today = org.today(clock);
    ViewQuery q = viewQuery(req, today, CONTACT_VIEWS);
    ViewQuery.Index index = q.index();
    PageCursor.State state =
        decodeCursor(
            req.query("cursor"),
            q.listing(),
            keyAttributes(index),
            index.partitionAttribute,
            c -> c.equals(contactId) ? q.partition(tenantId, c) : null,
            Keys.invoicePk(tenantId, ""));
    Optional<XeroContact> contact = contacts.get(tenantId, contactId);
    if (customersOnly && contact.isPresent() && !contact.get().isCustomer()) {
      throw new ApiProblem(
          404,
          "Not a customer",
          "Contact "
              + contactId
              + " is not a customer in Xero, and views list "
              + "customers only by default; pass customersOnly=false to list its invoices anyway.");
    }
    InvoiceViews.Page page =
        views.list(tenantId, List.of(contactId), q, state.positions(), state.done());
    ObjectNode body = pageBody(q, org);
    ObjectNode c = body.putObject("contact").put("contactId", contactId);
    c.put("name", contact.map(XeroContact::name).orElse(null));
    if (contact.isPresent()) {
      c.put("isCustomer", contact.get().isCustomer());
    }
    return invoicePage(
        req,
        body,
        page.invoices(),
        org,
        today,
        PageCursor.encode(q.listing(), page.positions(), page.done()));
  }

  private APIGatewayProxyResponseEvent contactTotals(ApiRequest req, String tenantId)
      throws BadRequest {
    req.onlyParams(Set.of("type"));
    String contactId = req.uuid("contactId");
    String type = typeParam(req, "ACCREC");
    List<ContactTotals> totals = invoiceStore.totals(tenantId, contactId);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("contact").put("contactId", contactId);
    writeTotals(
        body, totals, type, "/tenants/" + tenantId + "/contacts/" + contactId + "/invoices");
    return ok(req, body);
  }

  private APIGatewayProxyResponseEvent contactAging(ApiRequest req, String tenantId)
      throws BadRequest {
    req.onlyParams(Set.of("type"));
    String contactId = req.uuid("contactId");
    String type = typeParam(req, "ACCREC");
    Organisation org = organisations.get(tenantId);
    AgingSummary summary = new AgingSummary(org.today(clock));
    addUnpaid(summary, tenantId, contactId, type);
    ObjectNode body = agingBody(summary, org, type);
    body.putObject("contact").put("contactId", contactId);
    return ok(req, body);
  }

  private void addUnpaid(AgingSummary summary, String tenantId, String contactId, String type) {
    for (InvoiceViews.Due due : views.unpaid(tenantId, contactId)) {
      if (type == null || type.equals(due.type())) {
        summary.add(due.currency(), due.dueDate(), 1, due.amountDue());
      }
    }
  }

  // ---- invoices and tenant

  private APIGatewayProxyResponseEvent invoice(ApiRequest req, Access access)
      throws BadRequest, ApiProblem {
    String tenantId = access.tenantId();
    req.onlyParams(Set.of());
    String invoiceId = req.uuid("invoiceId");
    XeroInvoice inv =
        views
            .invoice(tenantId, invoiceId)
            .orElseThrow(
                () ->
                    new ApiProblem(
                        404,
                        "Invoice not found",
                        "Invoice "
                            + invoiceId
                            + " is not synced for tenant "
                            + tenantId
                            + "; check the id, or wait a few seconds after creating it in Xero."));
    if (access.panel() != null && !onPanelRecord(tenantId, access.panel(), inv)) {
      throw new ApiProblem(
          404,
          "Invoice not found",
          "Invoice "
              + invoiceId
              + " is not on this panel's record; a panel token reads only those.");
    }
    Organisation org = organisations.get(tenantId);
    return ok(req, InvoiceJson.detail(inv, org, org.today(clock)));
  }

  /** An invoice of a contact linked to the record, or one pinned to it. */
  private boolean onPanelRecord(String tenantId, PanelGrants.Grant grant, XeroInvoice inv) {
    RecordLinks.Record record = new RecordLinks.Record(grant.recordType(), grant.recordId());
    if (records.links(tenantId, record).stream()
        .anyMatch(l -> l.contactId().equals(inv.contactId()))) {
      return true;
    }
    return records.pins(tenantId, record, MAX_LINKS_AND_PINS, null).pins().stream()
        .anyMatch(p -> p.invoiceId().equals(inv.invoiceId()));
  }

  private APIGatewayProxyResponseEvent tenantAging(ApiRequest req, String tenantId)
      throws BadRequest {
    req.onlyParams(Set.of("type"));
    String type = typeParam(req, "ACCREC");
    Organisation org = organisations.get(tenantId);
    return ok(req, agingBody(agingLedger.read(tenantId, type, org.today(clock)), org, type));
  }

  // ---- records

  private APIGatewayProxyResponseEvent record(ApiRequest req, String tenantId) throws BadRequest {
    req.onlyParams(Set.of());
    RecordLinks.Record record = record(req);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("record").put("type", record.type()).put("id", record.id());
    ArrayNode links = body.putArray("contacts");
    for (RecordLinks.Link link : records.links(tenantId, record)) {
      linkJson(links.addObject(), link);
    }
    return ok(req, body);
  }

  private APIGatewayProxyResponseEvent link(ApiRequest req, String tenantId) throws BadRequest {
    req.onlyParams(Set.of("customersOnly"));
    RecordLinks.Record record = record(req);
    boolean customersOnly = req.boolQuery("customersOnly", true);
    String contactId = ApiRequest.uuid("contactId", bodyField(req.jsonBody(), "contactId"));
    Optional<XeroContact> contact = contacts.get(tenantId, contactId);
    if (customersOnly && contact.isPresent() && !contact.get().isCustomer()) {
      throw new BadRequest(
          "contact "
              + contactId
              + " is not a customer in Xero; records link customers only by default, "
              + "pass customersOnly=false to link it anyway");
    }
    List<RecordLinks.Link> existing = records.links(tenantId, record);
    boolean linked = existing.stream().anyMatch(l -> l.contactId().equals(contactId));
    if (!linked && existing.size() >= RecordLinks.MAX_LINKS) {
      throw new BadRequest(
          "a record links at most " + RecordLinks.MAX_LINKS + " Xero contacts; unlink one first");
    }
    Instant now = clock.instant();
    RecordLinks.Link link;
    try {
      link =
          records.link(
              tenantId, record, contactId, contact.map(XeroContact::name).orElse(null), now);
    } catch (RecordLinks.TooManyLinks full) {
      throw new BadRequest(
          "a record links at most " + RecordLinks.MAX_LINKS + " Xero contacts; unlink one first");
    }
    return written(link.created() ? 201 : 200, linkJson(Json.MAPPER.createObjectNode(), link));
  }

  private APIGatewayProxyResponseEvent unlink(ApiRequest req, String tenantId)
      throws BadRequest, ApiProblem {
    req.onlyParams(Set.of());
    RecordLinks.Record record = record(req);
    String contactId = req.uuid("contactId");
    if (!records.unlink(tenantId, record, contactId)) {
      throw new ApiProblem(
          404,
          "Link not found",
          "Record "
              + record.type()
              + "/"
              + record.id()
              + " is not linked to contact "
              + contactId
              + ".");
    }
    return ApiResponses.empty(204);
  }

  private APIGatewayProxyResponseEvent pin(ApiRequest req, String tenantId)
      throws BadRequest, ApiProblem {
    req.onlyParams(Set.of());
    RecordLinks.Record record = record(req);
    String invoiceId = ApiRequest.uuid("invoiceId", bodyField(req.jsonBody(), "invoiceId"));
    if (views.invoice(tenantId, invoiceId).isEmpty()) {
      throw new ApiProblem(
          404,
          "Invoice not found",
          "Invoice "
              + invoiceId
              + " is not synced for tenant "
              + tenantId
              + "; only this tenant's invoices can be pinned.");
    }
    Instant now = clock.instant();
    RecordLinks.Pin pin = records.pin(tenantId, record, invoiceId, now);
    ObjectNode body =
        Json.MAPPER
            .createObjectNode()
            .put("invoiceId", pin.invoiceId())
            .put("pinnedAt", pin.pinnedAt().toString());
    return written(pin.created() ? 201 : 200, body);
  }

  private APIGatewayProxyResponseEvent unpin(ApiRequest req, String tenantId)
      throws BadRequest, ApiProblem {
    req.onlyParams(Set.of());
    RecordLinks.Record record = record(req);
    String invoiceId = req.uuid("invoiceId");
    if (!records.unpin(tenantId, record, invoiceId)) {
      throw new ApiProblem(
          404,
          "Pin not found",
          "Invoice "
              + invoiceId
              + " is not pinned to record "
              + record.type()
              + "/"
              + record.id()
              + ".");
    }
    return ApiResponses.empty(204);
  }

  private APIGatewayProxyResponseEvent recordInvoices(ApiRequest req, String tenantId)
      throws BadRequest {
    req.onlyParams(LIST_PARAMS);
    RecordLinks.Record record = record(req);
    Organisation org = organisations.get(tenantId);
    LocalDate today = org.today(clock);
    ViewQuery q = viewQuery(req, today, RECORD_VIEWS);
    ObjectNode body = pageBody(q, org);
    body.putObject("record").put("type", record.type()).put("id", record.id());
    if (q.view() == InvoiceView.PINNED) {
      return pinned(req, tenantId, record, q, org, body);
    }
    ViewQuery.Index index = q.index();
    PageCursor.State state =
        decodeCursor(
            req.query("cursor"),
            q.listing(),
            keyAttributes(index),
            index.partitionAttribute,
            c -> isUuid(c) ? q.partition(tenantId, c) : null,
            Keys.invoicePk(tenantId, ""));
    List<String> contactIds =
        records.links(tenantId, record).stream().map(RecordLinks.Link::contactId).toList();
    InvoiceViews.Page page =
        contactIds.isEmpty()
            ? new InvoiceViews.Page(List.of(), Map.of(), Set.of())
            : views.list(tenantId, contactIds, q, state.positions(), state.done());
    return invoicePage(
        req,
        body,
        page.invoices(),
        org,
        today,
        PageCursor.encode(q.listing(), page.positions(), page.done()));
  }

  /**
   * Pins page in invoice id order; each page is shown most recent invoice first. Filters apply to
   * the pinned invoices.
   */
  private APIGatewayProxyResponseEvent pinned(
      ApiRequest req,
      String tenantId,
      RecordLinks.Record record,
      ViewQuery q,
      Organisation org,
      ObjectNode body)
      throws BadRequest {
    String recordPk = Keys.recordPk(tenantId, record.type(), record.id());
    PageCursor.State state =
        decodeCursor(
            req.query("cursor"),
            PINS_LISTING,
            Set.of("pk", "sk"),
            "pk",
            name -> name.equals("pins") ? recordPk : null,
            recordPk);
    var start = state.positions().get("pins");
    if (start != null && !PageCursor.startsWith(start, "sk", Keys.PIN_SK_PREFIX)) {
      throw new BadRequest(
          "cursor belongs to a different listing; pass back the nextCursor value of the previous page with the same parameters");
    }
    RecordLinks.PinPage pins = records.pins(tenantId, record, q.limit(), start);
    List<XeroInvoice> invoices =
        new ArrayList<>(
            views.invoices(
                tenantId, pins.pins().stream().map(RecordLinks.Pin::invoiceId).toList()));
    invoices.removeIf(inv -> !q.matches(inv));
    invoices.sort(
        Comparator.comparing(XeroInvoice::date, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(XeroInvoice::invoiceId));
    String next =
        pins.lastKey() == null
            ? null
            : PageCursor.encode(PINS_LISTING, Map.of("pins", pins.lastKey()), Set.of());
    return invoicePage(req, body, invoices, org, q.today(), next);
  }

  private APIGatewayProxyResponseEvent recordTotals(ApiRequest req, String tenantId)
      throws BadRequest {
    req.onlyParams(Set.of("type"));
    RecordLinks.Record record = record(req);
    String type = typeParam(req, "ACCREC");
    Map<String, ContactTotals> sums = new TreeMap<>();
    for (RecordLinks.Link link : records.links(tenantId, record)) {
      for (ContactTotals t : invoiceStore.totals(tenantId, link.contactId())) {
        sums.merge(
            t.type() + "#" + t.currency(),
            t,
            (a, b) ->
                new ContactTotals(
                    a.type(),
                    a.currency(),
                    a.paidCount() + b.paidCount(),
                    a.paidAmount().add(b.paidAmount()),
                    a.unpaidCount() + b.unpaidCount(),
                    a.unpaidAmount().add(b.unpaidAmount())));
      }
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("record").put("type", record.type()).put("id", record.id());
    writeTotals(
        body,
        List.copyOf(sums.values()),
        type,
        "/tenants/"
            + tenantId
            + "/records/"
            + record.type()
            + "/"
            + enc(record.id())
            + "/invoices");
    return ok(req, body);
  }

  private APIGatewayProxyResponseEvent recordAging(ApiRequest req, String tenantId)
      throws BadRequest {
    req.onlyParams(Set.of("type"));
    RecordLinks.Record record = record(req);
    String type = typeParam(req, "ACCREC");
    Organisation org = organisations.get(tenantId);
    AgingSummary summary = new AgingSummary(org.today(clock));
    for (RecordLinks.Link link : records.links(tenantId, record)) {
      addUnpaid(summary, tenantId, link.contactId(), type);
    }
    ObjectNode body = agingBody(summary, org, type);
    body.putObject("record").put("type", record.type()).put("id", record.id());
    return ok(req, body);
  }

  // ---- parameters

  private static RecordLinks.Record record(ApiRequest req) throws BadRequest {
    return new RecordLinks.Record(req.recordType(), req.recordId());
  }

  /**
   * ACCREC (sales invoices, the default: what customers are invoiced), ACCPAY (bills) or ANY
   * (null).
   */
  private static String typeParam(ApiRequest req, String fallback) throws BadRequest {
    String type = req.oneOf("type", fallback, Set.of("ACCREC", "ACCPAY", "ANY"));
    return "ANY".equals(type) ? null : type;
  }

  static ViewQuery viewQuery(ApiRequest req, LocalDate today, Set<String> allowedViews)
      throws BadRequest {
    String number = req.query("number");
    // '#' separates the parts of the index key a number search reads, and control characters are
    // never part of an invoice number: either would match something other than a number.
    if (number != null
        && (number.isEmpty()
            || number.length() > 64
            || number.indexOf('#') >= 0
            || number.chars().anyMatch(Character::isISOControl))) {
      throw new BadRequest(
          "number must be 1 to 64 characters of an invoice number without '#' or control"
              + " characters, or a prefix of one, such as INV-00");
    }
    String match = req.oneOf("match", null, Set.of("prefix", "exact"));
    if (match != null && number == null) {
      throw new BadRequest(
          "match applies to an invoice number search; pass number too, or leave match out");
    }
    Set<String> statuses = req.listQuery("status", XERO_STATUSES);
    String viewName = req.oneOf("view", null, allowedViews);
    // A number search or a status filter looks across views unless a view is named.
    InvoiceView view =
        viewName != null
            ? InvoiceView.valueOf(viewName.toUpperCase(java.util.Locale.ROOT))
            : number != null || !statuses.isEmpty() ? InvoiceView.ALL : InvoiceView.OPEN;
    String type = typeParam(req, view == InvoiceView.PINNED ? "ANY" : "ACCREC");
    String currency = req.currencyQuery("currency");
    LocalDate from = req.dateQuery("from");
    LocalDate to = req.dateQuery("to");
    if (from != null && to != null && from.isAfter(to)) {
      throw new BadRequest(
          "from (" + from + ") is after to (" + to + "); the invoice date range must run forwards");
    }
    int limit = req.intQuery("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    return new ViewQuery(
        view, statuses, type, currency, from, to, number, "exact".equals(match), today, limit);
  }

  private static String bodyField(JsonNode body, String field) throws BadRequest {
    var names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals(field)) {
        throw new BadRequest(
            "the request body has an unknown field '"
                + ApiRequest.truncate(name)
                + "'; send only {\""
                + field
                + "\": \"...\"}");
      }
    }
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual()) {
      throw new BadRequest(
          "the request body needs "
              + field
              + " as a string, such as {\""
              + field
              + "\": \"4f5e2b0c-8a45-4e8a-9d8e-0d1f1c2b3a4d\"}");
    }
    return v.asText();
  }

  private static boolean isUuid(String s) {
    try {
      ApiRequest.uuid("id", s);
      return true;
    } catch (BadRequest e) {
      return false;
    }
  }

  private static Set<String> keyAttributes(ViewQuery.Index index) {
    return new LinkedHashSet<>(List.of(index.partitionAttribute, index.sortAttribute, "pk", "sk"));
  }

  private static Set<String> with(Set<String> set, String extra) {
    Set<String> s = new LinkedHashSet<>(set);
    s.add(extra);
    return s;
  }

  // ---- bodies

  private static ObjectNode pageBody(ViewQuery q, Organisation org) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("view", q.view().name().toLowerCase(java.util.Locale.ROOT));
    body.put("asOf", q.today().toString());
    body.put("timezone", org.timezone().getId());
    return body;
  }

  private APIGatewayProxyResponseEvent invoicePage(
      ApiRequest req,
      ObjectNode body,
      List<XeroInvoice> invoices,
      Organisation org,
      LocalDate today,
      String nextCursor) {
    ArrayNode items = body.putArray("invoices");
    invoices.forEach(inv -> items.add(InvoiceJson.summary(inv, org, today)));
    body.put("nextCursor", nextCursor);
    return ok(req, body);
  }

  private static ObjectNode linkJson(ObjectNode n, RecordLinks.Link link) {
    n.put("contactId", link.contactId());
    n.put("name", link.contactName());
    n.put("linkedAt", link.linkedAt().toString());
    return n;
  }

  /**
   * Each total links to the view that lists the invoices behind it, so a consumer can make it
   * clickable.
   */
  private static void writeTotals(
      ObjectNode body, List<ContactTotals> totals, String type, String invoicesPath) {
    ArrayNode out = body.putArray("totals");
    totals.stream()
        .filter(t -> type == null || type.equals(t.type()))
        .filter(
            t ->
                t.paidCount() != 0
                    || t.unpaidCount() != 0
                    || t.paidAmount().signum() != 0
                    || t.unpaidAmount().signum() != 0)
        .sorted(Comparator.comparing(ContactTotals::type).thenComparing(ContactTotals::currency))
        .forEach(
            t -> {
              ObjectNode n = out.addObject().put("type", t.type()).put("currency", t.currency());
              String filter = "&type=" + t.type() + "&currency=" + t.currency();
              n.putObject("paid")
                  .put("count", t.paidCount())
                  .<ObjectNode>set("amount", Money.json(t.paidAmount(), t.currency()))
                  .put("invoices", invoicesPath + "?view=paid" + filter);
              n.putObject("unpaid")
                  .put("count", t.unpaidCount())
                  .<ObjectNode>set("amount", Money.json(t.unpaidAmount(), t.currency()))
                  .put("invoices", invoicesPath + "?view=unpaid" + filter);
            });
  }

  private static final Map<AgingSummary.Band, String> BAND_NAMES =
      Map.of(
          AgingSummary.Band.CURRENT, "current",
          AgingSummary.Band.DAYS_1_TO_30, "days1To30",
          AgingSummary.Band.DAYS_31_TO_60, "days31To60",
          AgingSummary.Band.DAYS_61_TO_90, "days61To90",
          AgingSummary.Band.OVER_90, "over90");

  private static ObjectNode agingBody(AgingSummary summary, Organisation org, String type) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("asOf", summary.today().toString());
    body.put("timezone", org.timezone().getId());
    body.put("type", type == null ? "ANY" : type);
    ArrayNode currencies = body.putArray("currencies");
    summary
        .byCurrency()
        .forEach(
            (currency, bands) -> {
              ObjectNode c = currencies.addObject().put("currency", currency);
              long count = 0;
              long overdueCount = 0;
              BigDecimal amount = BigDecimal.ZERO;
              BigDecimal overdueAmount = BigDecimal.ZERO;
              for (AgingSummary.Band band : AgingSummary.Band.values()) {
                AgingSummary.Cell cell = bands.get(band);
                c.putObject(BAND_NAMES.get(band))
                    .put("count", cell.count())
                    .<ObjectNode>set("amount", Money.json(cell.amount(), currency));
                count += cell.count();
                amount = amount.add(cell.amount());
                if (band != AgingSummary.Band.CURRENT) {
                  overdueCount += cell.count();
                  overdueAmount = overdueAmount.add(cell.amount());
                }
              }
              c.putObject("overdue")
                  .put("count", overdueCount)
                  .<ObjectNode>set("amount", Money.json(overdueAmount, currency));
              c.putObject("total")
                  .put("count", count)
                  .<ObjectNode>set("amount", Money.json(amount, currency));
            });
    return body;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---- responses

  private static APIGatewayProxyResponseEvent ok(ApiRequest req, ObjectNode body) {
    return HttpCaching.ok(
        req.header("If-None-Match"),
        body.toString(),
        JSON,
        HttpCaching.PRIVATE_REVALIDATE,
        "x-api-key");
  }

  private static APIGatewayProxyResponseEvent written(int status, ObjectNode body) {
    return ApiResponses.json(status, body, Map.of("Cache-Control", HttpCaching.NO_STORE));
  }

  private static APIGatewayProxyResponseEvent problem(int status, String title, String detail) {
    APIGatewayProxyResponseEvent response = ApiResponses.problem(status, title, detail);
    Map<String, String> headers = new HashMap<>(response.getHeaders());
    headers.put("Cache-Control", HttpCaching.NO_STORE);
    return response.withHeaders(headers);
  }

  private static PageCursor.State decodeCursor(
      String cursor,
      String listing,
      java.util.Set<String> keyAttributes,
      String partitionAttribute,
      java.util.function.Function<String, String> expectedPartition,
      String itemPkPrefix)
      throws BadRequest {
    try {
      return PageCursor.decode(
          cursor, listing, keyAttributes, partitionAttribute, expectedPartition, itemPkPrefix);
    } catch (PageCursor.InvalidCursor e) {
      throw new BadRequest(e.getMessage());
    }
  }
}
