package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.Keys;
import dev.xerosync.xero.XeroInvoice;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Serves the invoice views of the query API, routed by API Gateway's resource path. */
public final class QueryHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Log LOG = Log.of(QueryHandler.class);
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 100;

    private final InvoiceStore invoices;

    public QueryHandler() {
        this(Environment.process());
        Priming.register(QueryHandler.class, this::prime);
    }

    /** Serves a request for an invoice that cannot exist: routing, a DynamoDB read and a problem document. */
    public void prime() {
        String nil = "00000000-0000-0000-0000-000000000000";
        route(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/tenants/{tenantId}/invoices/{invoiceId}")
                .withPathParameters(Map.of("tenantId", nil, "invoiceId", nil)));
    }

    public QueryHandler(Environment env) {
        this(new InvoiceStore(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), Clock.systemUTC()));
    }

    public QueryHandler(InvoiceStore invoices) {
        this.invoices = invoices;
    }

    @Override
    @SuppressWarnings("try") // the scope is used through Log's thread context
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        var path = request.getPathParameters();
        try (var scope = Log.scope(Log.CORRELATION_ID, context == null ? null : context.getAwsRequestId(),
                Log.TENANT_ID, path == null ? null : path.get("tenantId"))) {
            return route(request);
        }
    }

    private APIGatewayProxyResponseEvent route(APIGatewayProxyRequestEvent request) {
        String route = request.getHttpMethod() + " " + request.getResource();
        try {
            return switch (route) {
                case "GET /tenants/{tenantId}/contacts/{contactId}/invoices" -> contactInvoices(request);
                case "GET /tenants/{tenantId}/invoices/{invoiceId}" -> invoice(request);
                default -> ApiResponses.problem(404, "No such route", "There is no route " + route + "; see the API's OpenAPI document.");
            };
        } catch (BadRequest e) {
            return ApiResponses.problem(400, "Invalid request", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("query failed", e, "route", route);
            return ApiResponses.problem(500, "Internal error", "The request could not be served; retry later.");
        }
    }

    private APIGatewayProxyResponseEvent contactInvoices(APIGatewayProxyRequestEvent request) throws BadRequest {
        String tenantId = uuidParam(request, "tenantId");
        String contactId = uuidParam(request, "contactId");
        int limit = intQuery(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        var startKey = PageCursor.decode(query(request, "cursor"), "gsi1pk", Keys.contactPk(tenantId, contactId));
        InvoiceStore.Page<XeroInvoice> page = invoices.byContact(tenantId, contactId, limit, startKey);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("invoices");
        page.items().forEach(inv -> items.add(InvoiceJson.summary(inv)));
        body.put("nextCursor", PageCursor.encode(page.lastKey()));
        return ApiResponses.json(200, body, Map.of("Cache-Control", "private, no-cache"));
    }

    private APIGatewayProxyResponseEvent invoice(APIGatewayProxyRequestEvent request) throws BadRequest {
        String tenantId = uuidParam(request, "tenantId");
        String invoiceId = uuidParam(request, "invoiceId");
        return invoices.get(tenantId, invoiceId)
                .map(inv -> ApiResponses.json(200, InvoiceJson.detail(inv), Map.of("Cache-Control", "private, no-cache")))
                .orElseGet(() -> ApiResponses.problem(404, "Invoice not found",
                        "Invoice " + invoiceId + " is not synced for tenant " + tenantId + "."));
    }

    private static String uuidParam(APIGatewayProxyRequestEvent request, String name) throws BadRequest {
        Map<String, String> params = request.getPathParameters();
        String value = params == null ? null : params.get(name);
        if (value == null) {
            throw new BadRequest("path parameter " + name + " is missing");
        }
        try {
            return UUID.fromString(value).toString();
        } catch (IllegalArgumentException e) {
            throw new BadRequest(name + " must be a Xero ID (a UUID such as 4f5e2b0c-8a45-4e8a-9d8e-0d1f1c2b3a4d), not '" + truncate(value) + "'");
        }
    }

    private static String query(APIGatewayProxyRequestEvent request, String name) {
        Map<String, String> q = request.getQueryStringParameters();
        return q == null ? null : q.get(name);
    }

    private static int intQuery(APIGatewayProxyRequestEvent request, String name, int fallback, int min, int max) throws BadRequest {
        String raw = query(request, name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the message below.
        }
        throw new BadRequest(name + " must be a whole number from " + min + " to " + max + ", not '" + truncate(raw) + "'");
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
