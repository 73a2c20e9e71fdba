package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.common.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Calls to Xero's Accounting API on behalf of one tenant at a time, each one within the call
 * budget.
 */
public final class XeroApi implements XeroReads {
  /**
   * Xero's gateway answers a URL longer than about 2,091 characters with a 404 (52 GUIDs in IDs=
   * pass, 53 fail), so IDs= lists are cut by the length of the whole URL, with a margin.
   */
  static final int MAX_URL_LENGTH = 2000;

  public static final int MAX_PAGE_SIZE = 1000;

  /**
   * Contacts are read with summaryOnly=true: it leaves out addresses, phones, groups and persons,
   * none of which we keep, and keeps every field {@link XeroContact} reads. Invoices are read in
   * full: their summary leaves out Payments and the credit allocations, which the store keeps. The
   * IDs= read asks for page 1 (a list cut for the URL holds far fewer than a page's 100): Xero
   * returns MergedToContactID "only when using paging or when fetching a contact by ContactId"
   * (xero_accounting.yaml, Contact.MergedToContactID), and without it a merge reads as an archive.
   */
  private static final String CONTACTS_BY_ID =
      "/api.xro/2.0/Contacts?summaryOnly=true&includeArchived=true&page=1&IDs=";

  /**
   * A wait for the budget up to this long is spent inline; a longer one is handed back to the
   * caller.
   */
  static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(3);

  private static final DateTimeFormatter IF_MODIFIED_SINCE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final HttpClient http;
  private final URI apiBase;
  private final CallBudget budget;

  public XeroApi(HttpClient http, URI apiBase, CallBudget budget) {
    this.http = http;
    this.apiBase = apiBase;
    this.budget = budget;
  }

  CallBudget budget() {
    return budget;
  }

  @Override
  public int callRoom(String tenantId) {
    return budget.room(tenantId);
  }

  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Fetches the invoices with these IDs; Xero returns each with its payments and allocations. */
  public List<XeroInvoice> invoicesByIds(
      String tenantId, String accessToken, Collection<String> invoiceIds) throws XeroApiException {
    List<XeroInvoice> invoices = new ArrayList<>();
    String prefix = "/api.xro/2.0/Invoices?IDs=";
    for (List<String> chunk : chunkForUrl(prefix, "", invoiceIds)) {
      JsonNode body = get(prefix + String.join(",", chunk), tenantId, accessToken, null);
      for (JsonNode n : body.path("Invoices")) {
        invoices.add(XeroInvoice.fromJson(n));
      }
    }
    return invoices;
  }

  /**
   * One page of invoices modified since {@code modifiedSince}, oldest change first. Paging forward
   * by the last UpdatedDateUTC seen (not by page number) means an invoice that changes mid-sync
   * moves behind the cursor and is read again, instead of shifting another one out of reach.
   */
  public XeroPage<XeroInvoice> invoicesModifiedSince(
      String tenantId,
      String accessToken,
      @Nullable Instant modifiedSince,
      @Nullable String where,
      int page,
      int pageSize)
      throws XeroApiException {
    StringBuilder q =
        new StringBuilder("/api.xro/2.0/Invoices?page=")
            .append(page)
            .append("&pageSize=")
            .append(pageSize)
            .append("&order=")
            .append(encode("UpdatedDateUTC ASC"));
    if (where != null) {
      q.append("&where=").append(encode(where));
    }
    return page(
        get(q.toString(), tenantId, accessToken, modifiedSince), "Invoices", XeroInvoice::fromJson);
  }

  /** One page of payments modified since the instant (created, or deleted by a reversal). */
  public XeroPage<JsonNode> paymentsModifiedSince(
      String tenantId, String accessToken, @Nullable Instant modifiedSince, int page)
      throws XeroApiException {
    return page(
        get(
            "/api.xro/2.0/Payments?page="
                + page
                + "&pageSize="
                + MAX_PAGE_SIZE
                + "&order="
                + encode("UpdatedDateUTC ASC"),
            tenantId,
            accessToken,
            modifiedSince),
        "Payments",
        n -> n);
  }

  /**
   * One credit note, overpayment or prepayment with its allocations; empty when Xero no longer has
   * it (404). Xero's credit endpoints take no IDs= list, so each is one call.
   */
  public Optional<XeroCredit> credit(
      String tenantId, String accessToken, XeroAllocation.Kind kind, String creditId)
      throws XeroApiException {
    if (!creditId.matches("[0-9A-Fa-f-]{1,64}")) {
      throw new IllegalArgumentException("not a Xero id: " + creditId);
    }
    String collection = XeroCredit.collection(kind);
    try {
      JsonNode body =
          get("/api.xro/2.0/" + collection + "/" + creditId, tenantId, accessToken, null);
      JsonNode first = body.path(collection).path(0);
      return first.isMissingNode()
          ? Optional.empty()
          : Optional.of(XeroCredit.fromJson(kind, first));
    } catch (XeroApiException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** One page of credits of a kind modified since the instant, oldest change first. */
  public XeroPage<XeroCredit> creditsModifiedSince(
      String tenantId,
      String accessToken,
      XeroAllocation.Kind kind,
      @Nullable Instant modifiedSince,
      int page)
      throws XeroApiException {
    String collection = XeroCredit.collection(kind);
    return page(
        get(
            "/api.xro/2.0/"
                + collection
                + "?page="
                + page
                + "&pageSize="
                + MAX_PAGE_SIZE
                + "&order="
                + encode("UpdatedDateUTC ASC"),
            tenantId,
            accessToken,
            modifiedSince),
        collection,
        n -> XeroCredit.fromJson(kind, n));
  }

  /**
   * The invoice ids cut as {@link #invoicesByIds} sends them, one list per call, so a caller can
   * keep track of what it has fetched.
   */
  public List<List<String>> invoiceIdCalls(Collection<String> invoiceIds) {
    return chunkForUrl("/api.xro/2.0/Invoices?IDs=", "", invoiceIds);
  }

  /** The contact ids cut as {@link #contactsByIds} sends them, one list per call. */
  public List<List<String>> contactIdCalls(Collection<String> contactIds) {
    return chunkForUrl(CONTACTS_BY_ID, "", contactIds);
  }

  public List<XeroContact> contactsByIds(
      String tenantId, String accessToken, Collection<String> contactIds) throws XeroApiException {
    List<XeroContact> contacts = new ArrayList<>();
    String prefix = CONTACTS_BY_ID;
    for (List<String> chunk : chunkForUrl(prefix, "", contactIds)) {
      JsonNode body = get(prefix + String.join(",", chunk), tenantId, accessToken, null);
      body.path("Contacts").forEach(n -> contacts.add(XeroContact.fromJson(n)));
    }
    return contacts;
  }

  public XeroPage<XeroContact> contactsModifiedSince(
      String tenantId, String accessToken, @Nullable Instant modifiedSince, int page, int pageSize)
      throws XeroApiException {
    return page(
        get(
            "/api.xro/2.0/Contacts?summaryOnly=true&includeArchived=true&page="
                + page
                + "&pageSize="
                + pageSize
                + "&order="
                + encode("UpdatedDateUTC ASC"),
            tenantId,
            accessToken,
            modifiedSince),
        "Contacts",
        XeroContact::fromJson);
  }

  /** The organisation's chart of accounts ({@code GET /Accounts}): one call. */
  public JsonNode accounts(String tenantId, String accessToken) throws XeroApiException {
    return get("/api.xro/2.0/Accounts", tenantId, accessToken, null).path("Accounts");
  }

  public XeroOrganisation organisation(String tenantId, String accessToken)
      throws XeroApiException {
    JsonNode body = get("/api.xro/2.0/Organisation", tenantId, accessToken, null);
    JsonNode first = body.path("Organisations").path(0);
    if (first.isMissingNode()) {
      throw new XeroApiException(502, "InvalidResponse", null, "Xero sent no organisation");
    }
    return XeroOrganisation.fromJson(first);
  }

  private static <T> XeroPage<T> page(
      JsonNode body, String collection, Function<JsonNode, T> parse) {
    List<T> items = new ArrayList<>();
    body.path(collection).forEach(n -> items.add(parse.apply(n)));
    JsonNode p = body.path("pagination");
    return new XeroPage<>(
        List.copyOf(items),
        p.hasNonNull("page") ? p.get("page").asInt() : null,
        p.hasNonNull("pageCount") ? p.get("pageCount").asInt() : null,
        p.hasNonNull("itemCount") ? p.get("itemCount").asInt() : null);
  }

  /**
   * Cuts ids into as few lists as fit the URL limit once joined with commas after {@code prefix}.
   * Ids are GUIDs (hex and hyphens), so they and the commas go into the URL unencoded.
   */
  List<List<String>> chunkForUrl(String prefix, String suffix, Collection<String> ids) {
    int budget = MAX_URL_LENGTH - apiBase.resolve(prefix).toString().length() - suffix.length();
    List<List<String>> chunks = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int length = 0;
    for (String id : ids) {
      if (!id.matches("[0-9A-Fa-f-]{1,64}")) {
        throw new IllegalArgumentException("not a Xero id: " + id);
      }
      int added = id.length() + (current.isEmpty() ? 0 : 1);
      if (!current.isEmpty() && length + added > budget) {
        chunks.add(current);
        current = new ArrayList<>();
        length = 0;
        added = id.length();
      }
      current.add(id);
      length += added;
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  JsonNode get(
      String pathAndQuery, String tenantId, String accessToken, @Nullable Instant ifModifiedSince)
      throws XeroApiException {
    waitForBudget(tenantId, pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(apiBase.resolve(pathAndQuery))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + accessToken)
            .header("xero-tenant-id", tenantId)
            .header("Accept", "application/json")
            // Xero meters egress as the bytes it sends, so ask for them compressed.
            .header("Accept-Encoding", "gzip")
            .GET();
    if (ifModifiedSince != null) {
      request.header("If-Modified-Since", IF_MODIFIED_SINCE.format(ifModifiedSince));
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      Metrics.count(Metrics.XERO_CALLS, 1, "Outcome", Metrics.outcomeOf(0));
      throw new XeroApiException(
          0,
          "Timeout",
          null,
          "Xero did not answer " + pathOnly(pathAndQuery) + ": " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new XeroApiException(0, "Interrupted", null, "interrupted while calling Xero");
    }
    int status = response.statusCode();
    Metrics.count(Metrics.XERO_CALLS, 1, "Outcome", Metrics.outcomeOf(status));
    if (status == 429) {
      Metrics.count(Metrics.XERO_429S, 1);
    }
    budget.record(tenantId, rateHeaders(status, response.headers()));
    String body;
    try {
      body = decoded(response);
      if (status == 200) {
        return Json.MAPPER.readTree(body);
      }
    } catch (IOException e) {
      throw new XeroApiException(
          502,
          "InvalidResponse",
          null,
          "Xero sent a body that is not gzip or not JSON for " + pathOnly(pathAndQuery));
    }
    throw failure(status, response.headers(), body, pathAndQuery);
  }

  /** The body as text, gunzipped when Xero says it is gzipped. */
  static String decoded(HttpResponse<byte[]> response) throws IOException {
    byte[] body = response.body() == null ? new byte[0] : response.body();
    boolean gzipped =
        response
            .headers()
            .firstValue("Content-Encoding")
            .map(v -> v.trim().equalsIgnoreCase("gzip"))
            .orElse(false);
    if (gzipped && body.length > 0) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  void waitForBudget(String tenantId, String pathAndQuery) throws XeroApiException {
    for (int i = 0; i < 20; i++) {
      Optional<CallBudget.Deferral> deferral = budget.acquire(tenantId);
      if (deferral.isEmpty()) {
        return;
      }
      Duration wait = deferral.get().delay();
      if (wait.compareTo(MAX_INLINE_WAIT) > 0 || deferral.get().isDaily()) {
        throw new XeroApiException(
            429,
            deferral.get().limit(),
            wait,
            "our "
                + deferral.get().limit()
                + " budget for the tenant is spent; held back "
                + pathOnly(pathAndQuery));
      }
      try {
        Thread.sleep(wait.plusMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new XeroApiException(
            0, "Interrupted", null, "interrupted while waiting for the call budget");
      }
    }
    throw new XeroApiException(
        429,
        "minute",
        MAX_INLINE_WAIT,
        "the call budget stayed busy; held back " + pathOnly(pathAndQuery));
  }

  static CallBudget.RateHeaders rateHeaders(int status, HttpHeaders headers) {
    return new CallBudget.RateHeaders(
        status,
        intHeader(headers, "X-MinLimit-Remaining"),
        intHeader(headers, "X-DayLimit-Remaining"),
        intHeader(headers, "X-AppMinLimit-Remaining"),
        headers.firstValue("X-Rate-Limit-Problem").orElse(null),
        headers
            .firstValue("Retry-After")
            .map(v -> Duration.ofSeconds(Long.parseLong(v.trim())))
            .orElse(null));
  }

  private static @Nullable Integer intHeader(HttpHeaders headers, String name) {
    return headers
        .firstValue(name)
        .map(
            v -> {
              try {
                return Integer.parseInt(v.trim());
              } catch (NumberFormatException e) {
                return null;
              }
            })
        .orElse(null);
  }

  static XeroApiException failure(int status, HttpResponse<String> response, String pathAndQuery) {
    return failure(status, response.headers(), response.body(), pathAndQuery);
  }

  static XeroApiException failure(
      int status, HttpHeaders headers, String body, String pathAndQuery) {
    Duration retryAfter =
        headers
            .firstValue("Retry-After")
            .map(v -> Duration.ofSeconds(Long.parseLong(v.trim())))
            .orElse(null);
    String problem =
        switch (status) {
          case 429 -> headers.firstValue("X-Rate-Limit-Problem").orElse("unknown");
          case 401 -> problemName(body, "TokenExpired");
          case 403 -> problemName(body, "AuthenticationUnsuccessful");
          default -> "HTTP" + status;
        };
    return new XeroApiException(
        status,
        problem,
        retryAfter,
        "Xero answered " + status + " (" + problem + ") for " + pathOnly(pathAndQuery));
  }

  /**
   * Xero's problem name: the start of its Detail ("TokenExpired: token expired at …",
   * "AuthenticationUnsuccessful"), not its Title, which only restates the status ("Unauthorized").
   */
  static String problemName(String body, String fallback) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      String detail = n == null ? "" : n.path("Detail").asText("").strip();
      if (!detail.isEmpty()) {
        int colon = detail.indexOf(':');
        return colon > 0 ? detail.substring(0, colon).strip() : detail;
      }
      return n != null && n.hasNonNull("Title") ? n.get("Title").asText() : fallback;
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
