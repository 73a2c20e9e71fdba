package dev.xerosync.query;

import static dev.xerosync.query.QueryResponses.ok;
import static dev.xerosync.query.QueryResponses.written;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Json;
import dev.xerosync.common.Problem;
import dev.xerosync.store.AgingSummary;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The routes of a CRM record ({@code /tenants/{tenantId}/records/{recordType}/{recordId}...}): its
 * links to Xero contacts, its pinned invoices, and the views, totals and aging of both. The caller
 * is already authorised for the tenant.
 */
final class RecordRoutes {
  private static final Set<String> RECORD_VIEWS =
      Set.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all", "pinned");
  private static final String PINS_LISTING = "Pins";

  private final RecordLinks records;
  private final ContactStore contacts;
  private final InvoiceViews views;
  private final InvoiceStore invoiceStore;
  private final Organisations organisations;
  private final Clock clock;

  RecordRoutes(QueryWiring w) {
    this.records = w.records();
    this.contacts = w.contacts();
    this.views = w.views();
    this.invoiceStore = w.invoiceStore();
    this.organisations = w.organisations();
    this.clock = w.clock();
  }

  /** Whether this route is one of a record's; {@link #serve} answers it. */
  static boolean serves(String route) {
    return route.contains(" /tenants/{tenantId}/records/{recordType}/{recordId}");
  }

  APIGatewayProxyResponseEvent serve(ApiRequest req, String tenantId) throws Problem {
    return switch (req.route()) {
      case "GET /tenants/{tenantId}/records/{recordType}/{recordId}" -> record(req, tenantId);
      case "POST /tenants/{tenantId}/records/{recordType}/{recordId}/links" -> link(req, tenantId);
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
      default -> QueryResponses.noSuchRoute(req.route());
    };
  }

  /** An invoice of a contact linked to the panel's record, or one pinned to it. */
  boolean onPanelRecord(String tenantId, PanelGrants.Grant grant, XeroInvoice inv) {
    return records.shows(
        tenantId,
        new RecordLinks.Record(grant.recordType(), grant.recordId()),
        inv.contactId(),
        inv.invoiceId());
  }

  private APIGatewayProxyResponseEvent record(ApiRequest req, String tenantId) throws Problem {
    req.onlyParams(Set.of());
    RecordLinks.Record record = req.record();
    ObjectNode body = QueryBodies.record(Json.MAPPER.createObjectNode(), record);
    ArrayNode links = body.putArray("contacts");
    Organisation org = organisations.get(tenantId);
    for (RecordLinks.Link link : records.links(tenantId, record)) {
      QueryBodies.link(links.addObject(), link, org);
    }
    return ok(req, body);
  }

  private APIGatewayProxyResponseEvent link(ApiRequest req, String tenantId) throws Problem {
    req.onlyParams(Set.of("customersOnly"));
    RecordLinks.Record record = req.record();
    boolean customersOnly = req.boolQuery("customersOnly", true);
    String contactId = ApiRequest.uuid("contactId", req.bodyField("contactId"));
    Optional<XeroContact> contact = contacts.get(tenantId, contactId);
    if (customersOnly && contact.isPresent() && !contact.get().isCustomer()) {
      throw Problem.invalid(
          "contact "
              + contactId
              + " is not a customer in Xero; records link customers only by default, "
              + "pass customersOnly=false to link it anyway");
    }
    List<RecordLinks.Link> existing = records.links(tenantId, record);
    boolean linked = existing.stream().anyMatch(l -> l.contactId().equals(contactId));
    if (!linked && existing.size() >= RecordLinks.MAX_LINKS) {
      throw Problem.invalid(
          "a record links at most " + RecordLinks.MAX_LINKS + " Xero contacts; unlink one first");
    }
    Instant now = clock.instant();
    RecordLinks.Link link;
    try {
      link =
          records.link(
              tenantId, record, contactId, contact.map(XeroContact::name).orElse(null), now);
    } catch (RecordLinks.TooManyLinks full) {
      throw Problem.invalid(
          "a record links at most " + RecordLinks.MAX_LINKS + " Xero contacts; unlink one first");
    }
    return written(
        link.created() ? 201 : 200,
        QueryBodies.link(Json.MAPPER.createObjectNode(), link, organisations.get(tenantId)));
  }

  private APIGatewayProxyResponseEvent unlink(ApiRequest req, String tenantId) throws Problem {
    req.onlyParams(Set.of());
    RecordLinks.Record record = req.record();
    String contactId = req.uuid("contactId");
    if (!records.unlink(tenantId, record, contactId)) {
      throw new Problem(
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

  private APIGatewayProxyResponseEvent pin(ApiRequest req, String tenantId) throws Problem {
    req.onlyParams(Set.of());
    RecordLinks.Record record = req.record();
    String invoiceId = ApiRequest.uuid("invoiceId", req.bodyField("invoiceId"));
    if (views.invoice(tenantId, invoiceId).isEmpty()) {
      throw new Problem(
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
    return written(pin.created() ? 201 : 200, QueryBodies.pin(pin));
  }

  private APIGatewayProxyResponseEvent unpin(ApiRequest req, String tenantId) throws Problem {
    req.onlyParams(Set.of());
    RecordLinks.Record record = req.record();
    String invoiceId = req.uuid("invoiceId");
    if (!records.unpin(tenantId, record, invoiceId)) {
      throw new Problem(
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
      throws Problem {
    req.onlyParams(ApiRequest.LIST_PARAMS);
    RecordLinks.Record record = req.record();
    Organisation org = organisations.get(tenantId);
    LocalDate today = org.today(clock);
    ViewQuery q = req.viewQuery(today, RECORD_VIEWS);
    ObjectNode body = QueryBodies.record(QueryBodies.page(q, org), record);
    if (q.view() == InvoiceView.PINNED) {
      return pinned(req, tenantId, record, q, org, body);
    }
    PageCursor.State state = req.viewCursor(q, tenantId, ApiRequest::isUuidText);
    List<RecordLinks.Link> links = records.links(tenantId, record);
    List<String> contactIds = links.stream().map(RecordLinks.Link::contactId).toList();
    // Lets a client tell "not linked to Xero" from "no invoices in this view", and open the linked
    // contacts in Xero, without another request.
    body.put("linkedContacts", contactIds.size());
    ArrayNode linked = body.putArray("contacts");
    for (RecordLinks.Link link : links) {
      linked
          .addObject()
          .put("contactId", link.contactId())
          .put("name", link.contactName())
          .put("xeroUrl", org.contactUrl(link.contactId()));
    }
    InvoiceViews.Page page =
        contactIds.isEmpty()
            ? new InvoiceViews.Page(List.of(), Map.of(), Set.of())
            : views.list(tenantId, contactIds, q, state.positions(), state.done());
    return ok(
        req,
        QueryBodies.rows(
            body,
            page.rows(),
            org,
            today,
            PageCursor.encode(q.listing(), page.positions(), page.done())));
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
      throws Problem {
    String recordPk = Keys.recordPk(tenantId, record.type(), record.id());
    PageCursor.State state =
        req.cursor(
            PINS_LISTING,
            Set.of("pk", "sk"),
            "pk",
            name -> name.equals("pins") ? recordPk : null,
            recordPk);
    var start = state.positions().get("pins");
    if (start != null && !PageCursor.startsWith(start, "sk", Keys.PIN_SK_PREFIX)) {
      throw Problem.invalid(
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
    return ok(req, QueryBodies.invoices(body, invoices, org, q.today(), next));
  }

  private APIGatewayProxyResponseEvent recordTotals(ApiRequest req, String tenantId)
      throws Problem {
    req.onlyParams(Set.of("type"));
    RecordLinks.Record record = req.record();
    String type = req.typeParam("ACCREC");
    Map<String, ContactTotals> sums = new TreeMap<>();
    for (RecordLinks.Link link : records.links(tenantId, record)) {
      for (ContactTotals t : invoiceStore.totals(tenantId, link.contactId())) {
        sums.merge(t.type() + "#" + t.currency(), t, ContactTotals::plus);
      }
    }
    ObjectNode body = QueryBodies.record(Json.MAPPER.createObjectNode(), record);
    QueryBodies.totals(
        body,
        List.copyOf(sums.values()),
        type,
        "/tenants/"
            + tenantId
            + "/records/"
            + record.type()
            + "/"
            + URLEncoder.encode(record.id(), StandardCharsets.UTF_8)
            + "/invoices");
    return ok(req, body);
  }

  private APIGatewayProxyResponseEvent recordAging(ApiRequest req, String tenantId) throws Problem {
    req.onlyParams(Set.of("type"));
    RecordLinks.Record record = req.record();
    String type = req.typeParam("ACCREC");
    Organisation org = organisations.get(tenantId);
    AgingSummary summary = new AgingSummary(org.today(clock));
    for (RecordLinks.Link link : records.links(tenantId, record)) {
      summary.addUnpaid(views.unpaid(tenantId, link.contactId()), type);
    }
    ObjectNode body = QueryBodies.aging(summary, org, type);
    QueryBodies.record(body, record);
    return ok(req, body);
  }
}
