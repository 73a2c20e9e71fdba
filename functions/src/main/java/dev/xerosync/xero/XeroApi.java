package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Calls to Xero's Accounting API on behalf of one tenant at a time. */
public final class XeroApi {
    /**
     * Xero answers an over-long URL with an error, so IDs= lists are cut to fit. UUIDs are 36 characters
     * plus a comma; 3,000 characters keeps every request far from the limit with about 80 IDs a call.
     */
    static final int MAX_IDS_QUERY_LENGTH = 3000;

    private final HttpClient http;
    private final URI apiBase;

    public XeroApi(HttpClient http, URI apiBase) {
        this.http = http;
        this.apiBase = apiBase;
    }

    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Fetches the invoices with these IDs; Xero returns each with its payments and allocations. */
    public List<XeroInvoice> invoicesByIds(String tenantId, String accessToken, Collection<String> invoiceIds)
            throws XeroApiException {
        List<XeroInvoice> invoices = new ArrayList<>();
        for (List<String> chunk : chunkForQuery(invoiceIds)) {
            JsonNode body = get("/api.xro/2.0/Invoices?IDs=" + encode(String.join(",", chunk)), tenantId, accessToken);
            for (JsonNode n : body.path("Invoices")) {
                invoices.add(XeroInvoice.fromJson(n));
            }
        }
        return invoices;
    }

    static List<List<String>> chunkForQuery(Collection<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int length = 0;
        for (String id : ids) {
            if (!current.isEmpty() && length + id.length() + 1 > MAX_IDS_QUERY_LENGTH) {
                chunks.add(current);
                current = new ArrayList<>();
                length = 0;
            }
            current.add(id);
            length += id.length() + 1;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    JsonNode get(String pathAndQuery, String tenantId, String accessToken) throws XeroApiException {
        HttpRequest request = HttpRequest.newBuilder(apiBase.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + accessToken)
                .header("xero-tenant-id", tenantId)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new XeroApiException(0, "Timeout", null, "Xero did not answer " + pathOnly(pathAndQuery) + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XeroApiException(0, "Interrupted", null, "interrupted while calling Xero");
        }
        int status = response.statusCode();
        if (status == 200) {
            try {
                return Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new XeroApiException(502, "InvalidResponse", null, "Xero sent a body that is not JSON for " + pathOnly(pathAndQuery));
            }
        }
        throw failure(status, response, pathAndQuery);
    }

    private static XeroApiException failure(int status, HttpResponse<String> response, String pathAndQuery) {
        Duration retryAfter = response.headers().firstValue("Retry-After")
                .map(v -> Duration.ofSeconds(Long.parseLong(v.trim()))).orElse(null);
        String problem = switch (status) {
            case 429 -> response.headers().firstValue("X-Rate-Limit-Problem").orElse("unknown");
            case 401 -> problemTitle(response.body(), "TokenExpired");
            case 403 -> problemTitle(response.body(), "AuthenticationUnsuccessful");
            default -> "HTTP" + status;
        };
        return new XeroApiException(status, problem, retryAfter,
                "Xero answered " + status + " (" + problem + ") for " + pathOnly(pathAndQuery));
    }

    private static String problemTitle(String body, String fallback) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n.hasNonNull("Title") ? n.get("Title").asText() : fallback;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    private static String pathOnly(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
