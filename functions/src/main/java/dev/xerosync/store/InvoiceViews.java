package dev.xerosync.store;

import dev.xerosync.xero.XeroInvoice;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads pages of the invoice views of one or more contacts (a record may link several), with a
 * bounded number of Query requests per page.
 *
 * <p>One contact: up to {@link #MAX_QUERIES_ONE_CONTACT} queries, the first evaluating one page
 * plus one item (to know whether a next page exists), a quarter more when a filter applies, later
 * ones sized by the selectivity seen so far. Unfiltered pages cost one query. Several contacts: one
 * query each, merged on the index sort key; an item is returned only if no unfinished contact could
 * still hold an item that sorts before it, so the merged order is exact across pages. The cost is
 * over-reading: n contacts read up to n pages for one.
 */
public final class InvoiceViews {
  public static final int MAX_QUERIES_ONE_CONTACT = 2;

  /**
   * Cap on items one filtered query evaluates, so a very selective filter cannot read a whole
   * partition in one go.
   */
  static final int MAX_EVALUATED = 500;

  /** A filtered first query evaluates a quarter more than the page needs. */
  static final int FILTER_SLACK_DIVISOR = 4;

  /**
   * A page: its rows, and where each source (a contact's invoices, or its credit notes, {@link
   * ViewQuery#creditNotesSource}) goes on from. {@code positions} holds, for each source that is
   * not finished, the key to continue after (empty: from the start); {@code done} the finished
   * ones.
   */
  public record Page(
      List<ViewRow> rows, Map<String, Map<String, AttributeValue>> positions, Set<String> done) {

    /** The page's invoices, without its credit notes. */
    public List<XeroInvoice> invoices() {
      return rows.stream()
          .filter(ViewRow.Invoice.class::isInstance)
          .map(r -> ((ViewRow.Invoice) r).invoice())
          .toList();
    }
  }

  /** One partition a listing reads: a contact's invoices, or its credit notes. */
  private record Source(String name, String contactId, boolean creditNotes) {}

  /** What an unpaid invoice adds to an aging summary. */
  public record Due(
      @Nullable String type,
      @Nullable String currency,
      @Nullable LocalDate dueDate,
      BigDecimal amountDue) {}

  private record Partition(
      Source source,
      List<Map<String, AttributeValue>> items,
      @Nullable Map<String, AttributeValue> lastKey) {}

  private final DynamoDbClient dynamo;
  private final String table;

  public InvoiceViews(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /**
   * One page of a view over the given contacts: their invoices, their credit notes, or both, as
   * {@link ViewQuery#creditNotes()} says.
   *
   * @param starts per source, the key to continue after (absent or empty: from the start)
   * @param done sources already read to the end
   */
  public Page list(
      String tenantId,
      List<String> contactIds,
      ViewQuery q,
      Map<String, Map<String, AttributeValue>> starts,
      Set<String> done) {
    ViewQuery.Index index = q.index();
    List<Source> active = new ArrayList<>();
    for (String contactId : contactIds.stream().distinct().toList()) {
      if (q.creditNotes().invoices()) {
        active.add(new Source(contactId, contactId, false));
      }
      // A credit note is never overdue: the overdue view reads no credit notes.
      if (q.creditNotes().creditNotes() && q.view() != InvoiceView.OVERDUE) {
        active.add(new Source(ViewQuery.creditNotesSource(contactId), contactId, true));
      }
    }
    active.removeIf(s -> done.contains(s.name()));
    int budget = active.size() == 1 ? MAX_QUERIES_ONE_CONTACT : 1;
    List<Partition> parts = new ArrayList<>();
    for (Source source : active) {
      parts.add(read(tenantId, source, q, starts.get(source.name()), budget));
    }
    Comparator<String> order =
        index.ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
    // The least advanced unfinished partition bounds what is safe to return.
    String frontier = null;
    for (Partition p : parts) {
      if (p.lastKey() != null) {
        String f = ItemCodec.attr(p.lastKey(), index.sortAttribute).s();
        if (frontier == null || order.compare(f, frontier) < 0) {
          frontier = f;
        }
      }
    }
    record Candidate(int part, Map<String, AttributeValue> item, String sortKey) {}
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      for (var item : parts.get(i).items()) {
        String key = ItemCodec.attr(item, index.sortAttribute).s();
        if (frontier == null || order.compare(key, frontier) <= 0) {
          candidates.add(new Candidate(i, item, key));
        }
      }
    }
    candidates.sort(Comparator.comparing(Candidate::sortKey, order));
    List<Candidate> taken = candidates.subList(0, Math.min(q.limit(), candidates.size()));
    int[] takenPerPart = new int[parts.size()];
    List<ViewRow> rows = new ArrayList<>(taken.size());
    for (Candidate c : taken) {
      takenPerPart[c.part()]++;
      rows.add(
          parts.get(c.part()).source().creditNotes()
              ? new ViewRow.CreditNote(CreditStore.credit(c.item()))
              : new ViewRow.Invoice(ItemCodec.invoice(c.item())));
    }
    Map<String, Map<String, AttributeValue>> positions = new LinkedHashMap<>();
    Set<String> nowDone = new LinkedHashSet<>(done);
    for (int i = 0; i < parts.size(); i++) {
      Partition p = parts.get(i);
      int t = takenPerPart[i];
      if (t < p.items().size()) {
        // Items taken from one partition are a prefix of what it read, so it goes on after the last
        // one taken.
        String name = p.source().name();
        positions.put(
            name,
            t > 0
                ? keyOf(p.items().get(t - 1), index)
                : Optional.ofNullable(starts.get(name)).orElse(Map.of()));
      } else if (p.lastKey() == null) {
        nowDone.add(p.source().name());
      } else {
        positions.put(p.source().name(), p.lastKey());
      }
    }
    return new Page(rows, positions, nowDone);
  }

  private Partition read(
      String tenantId,
      Source source,
      ViewQuery q,
      @Nullable Map<String, AttributeValue> start,
      int maxQueries) {
    QueryRequest base = request(table, tenantId, source.contactId(), q, source.creditNotes());
    boolean filtered = base.filterExpression() != null;
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> last = start == null || start.isEmpty() ? null : start;
    if (last != null && !q.withinKeyCondition(ItemCodec.attr(last, q.index().sortAttribute).s())) {
      // Continuing past the key condition's bound (say an open view after midnight): nothing is
      // left.
      return new Partition(source, List.of(), null);
    }
    long evaluated = 0;
    for (int queries = 1; ; queries++) {
      int want = q.limit() + 1 - items.size();
      int evaluate;
      if (!filtered) {
        evaluate = want;
      } else if (evaluated == 0) {
        // Most filters drop few items (drafts, other types): a little slack saves a second query.
        evaluate = want + want / FILTER_SLACK_DIVISOR;
      } else if (items.isEmpty()) {
        evaluate = Math.min(MAX_EVALUATED, want * 8);
      } else {
        evaluate =
            (int) Math.min(MAX_EVALUATED, Math.ceil((double) want * evaluated / items.size()));
      }
      QueryRequest.Builder b = base.toBuilder().limit(Math.max(1, evaluate));
      if (last != null) {
        b.exclusiveStartKey(last);
      }
      QueryResponse r = dynamo.query(b.build());
      items.addAll(r.items());
      evaluated += r.scannedCount();
      last = Pages.next(r);
      if (last == null || items.size() > q.limit() || queries >= maxQueries) {
        return new Partition(source, items, last);
      }
    }
  }

  /** The key condition does the selective part; the filter only what no index key holds. */
  static QueryRequest request(String table, String tenantId, String contactId, ViewQuery q) {
    return request(table, tenantId, contactId, q, false);
  }

  /**
   * The same for the contact's credit notes when {@code creditNotes}: their own partitions, and the
   * credit note type of the invoice type asked for.
   */
  static QueryRequest request(
      String table, String tenantId, String contactId, ViewQuery q, boolean creditNotes) {
    ViewQuery.Index index = q.index();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder key = new StringBuilder(index.partitionAttribute).append(" = :pk");
    values.put(
        ":pk",
        ItemCodec.s(
            creditNotes
                ? q.creditPartition(tenantId, contactId)
                : q.partition(tenantId, contactId)));
    List<String> filters = new ArrayList<>();
    String lo = q.from() == null ? null : q.from().toString();
    // '~' sorts after every character of "{date}#{uuid}", so the whole last day is in range.
    String hi = q.to() == null ? null : q.to() + "#~";
    switch (index) {
      case BY_NUMBER -> {
        key.append(" AND begins_with(gsi3sk, :num)");
        String number =
            Objects.requireNonNull(q.number(), "the number index serves a number search");
        values.put(":num", ItemCodec.s(q.exactNumber() ? number + "#" : number));
      }
      case BY_DATE -> {
        if (lo != null && hi != null) {
          key.append(" AND gsi1sk BETWEEN :lo AND :hi");
        } else if (lo != null) {
          key.append(" AND gsi1sk >= :lo");
        } else if (hi != null) {
          key.append(" AND gsi1sk <= :hi");
        }
      }
      case BY_VIEW -> {
        if (q.view() == InvoiceView.OPEN) {
          key.append(" AND gsi2sk >= :today");
        } else if (q.view() == InvoiceView.OVERDUE) {
          key.append(" AND gsi2sk < :today");
        }
      }
    }
    if (index != ViewQuery.Index.BY_VIEW) {
      boolean statusesDecide = q.view() == InvoiceView.ALL && !q.statuses().isEmpty();
      if (!statusesDecide && q.view() != InvoiceView.PINNED) {
        List<String> placeholders = new ArrayList<>();
        int i = 0;
        for (InvoiceBucket bucket : q.view().buckets()) {
          String ph = ":b" + i++;
          placeholders.add(ph);
          values.put(
              ph,
              ItemCodec.s(
                  creditNotes
                      ? Keys.creditNoteViewPk(tenantId, contactId, bucket)
                      : Keys.contactViewPk(tenantId, contactId, bucket)));
        }
        filters.add("gsi2pk IN (" + String.join(", ", placeholders) + ")");
        if (q.view() == InvoiceView.OPEN) {
          filters.add("gsi2sk >= :today");
        } else if (q.view() == InvoiceView.OVERDUE) {
          filters.add("gsi2sk < :today");
        }
      }
      if (index == ViewQuery.Index.BY_NUMBER && (lo != null || hi != null)) {
        names.put("#date", "date");
        if (lo != null) {
          filters.add("#date >= :lo");
        }
        if (hi != null) {
          filters.add("#date <= :hi");
        }
      }
    }
    if (key.indexOf(":lo") >= 0 || filters.stream().anyMatch(f -> f.contains(":lo"))) {
      values.put(":lo", ItemCodec.s(Objects.requireNonNull(lo, ":lo needs a lower bound")));
    }
    if (key.indexOf(":hi") >= 0 || filters.stream().anyMatch(f -> f.contains(":hi"))) {
      values.put(":hi", ItemCodec.s(Objects.requireNonNull(hi, ":hi needs an upper bound")));
    }
    if (key.indexOf(":today") >= 0 || filters.stream().anyMatch(f -> f.contains(":today"))) {
      values.put(":today", ItemCodec.s(q.today().toString()));
    }
    if (!q.statuses().isEmpty()) {
      names.put("#status", "status");
      List<String> placeholders = new ArrayList<>();
      int i = 0;
      for (String status : q.statuses().stream().sorted().toList()) {
        String ph = ":s" + i++;
        placeholders.add(ph);
        values.put(ph, ItemCodec.s(status));
      }
      filters.add("#status IN (" + String.join(", ", placeholders) + ")");
    }
    if (q.type() != null) {
      names.put("#type", "type");
      values.put(":type", ItemCodec.s(creditNotes ? q.type() + "CREDIT" : q.type()));
      filters.add("#type = :type");
    }
    if (q.currency() != null) {
      names.put("#cur", "currency");
      values.put(":cur", ItemCodec.s(q.currency()));
      filters.add("#cur = :cur");
    }
    QueryRequest.Builder b =
        QueryRequest.builder()
            .tableName(table)
            .indexName(index.indexName)
            .keyConditionExpression(key.toString())
            .expressionAttributeValues(values)
            .scanIndexForward(index.ascending);
    if (!names.isEmpty()) {
      b.expressionAttributeNames(names);
    }
    if (!filters.isEmpty()) {
      b.filterExpression(String.join(" AND ", filters));
    }
    return b.build();
  }

  /** The exclusive start key that continues a query on {@code index} right after {@code item}. */
  static Map<String, AttributeValue> keyOf(
      Map<String, AttributeValue> item, ViewQuery.Index index) {
    Map<String, AttributeValue> key = new LinkedHashMap<>();
    for (String attribute : List.of(index.partitionAttribute, index.sortAttribute, "pk", "sk")) {
      key.put(attribute, item.get(attribute));
    }
    return key;
  }

  /**
   * One invoice (eventually consistent: the API may lag the sync by a moment, at half the read
   * cost).
   */
  public Optional<XeroInvoice> invoice(String tenantId, String invoiceId) {
    var response =
        dynamo.getItem(
            r ->
                r.tableName(table)
                    .key(Keys.key(Keys.invoicePk(tenantId, invoiceId), Keys.INVOICE_SK)));
    return response.hasItem() && !response.item().isEmpty()
        ? Optional.of(ItemCodec.invoice(response.item()))
        : Optional.empty();
  }

  /** Invoices by id, in the order given; ids the tenant has no invoice for are left out. */
  public List<XeroInvoice> invoices(String tenantId, List<String> invoiceIds) {
    var found = InvoiceBatchGet.items(dynamo, table, tenantId, invoiceIds, false);
    return invoiceIds.stream()
        .distinct()
        .map(found::get)
        .filter(java.util.Objects::nonNull)
        .map(ItemCodec::invoice)
        .toList();
  }

  /**
   * Every unpaid invoice of a contact, reduced to what aging needs. Unpaid lists are short, so this
   * pages to the end.
   */
  public List<Due> unpaid(String tenantId, String contactId) {
    List<Due> dues = new ArrayList<>();
    Pages.forEachItem(
        dynamo,
        b ->
            b.tableName(table)
                .indexName(Keys.BY_CONTACT_VIEW)
                .keyConditionExpression("gsi2pk = :pk")
                .expressionAttributeValues(
                    Map.of(
                        ":pk",
                        ItemCodec.s(Keys.contactViewPk(tenantId, contactId, InvoiceBucket.UNPAID))))
                .projectionExpression("#type, currency, dueDate, amountDue")
                .expressionAttributeNames(Map.of("#type", "type")),
        item -> {
          String due = ItemCodec.str(item, "dueDate");
          dues.add(
              new Due(
                  ItemCodec.str(item, "type"),
                  ItemCodec.str(item, "currency"),
                  due == null ? null : LocalDate.parse(due),
                  ItemCodec.dec(item, "amountDue")));
        });
    return dues;
  }
}
