package dev.xerosync.store;

import static dev.xerosync.store.CreditNoteListingTest.T1;
import static dev.xerosync.store.CreditNoteListingTest.TODAY;
import static dev.xerosync.store.CreditNoteListingTest.creditNote;
import static dev.xerosync.store.CreditNoteListingTest.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroCredit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Credit notes stored before CreditNoteIndex existed (no index keys, no totalled mark, nothing in
 * their contact's totals) listed and totalled by the backfill exactly as a fresh upsert would have,
 * once, even when the sync writes them meanwhile; against the DynamoDB stand-in.
 */
class CreditNoteBackfillTest {
  private static final String[] INDEX_KEYS = {
    "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk", CreditNoteIndex.TOTALLED
  };
  private static final String[] CREDIT_TOTALS = {
    "creditCount", "creditAmount", "creditUsedCount", "creditUsedAmount"
  };

  private final LocalTable table = LocalTable.get();
  private final InvoiceStore invoices =
      new InvoiceStore(table.dynamoDb(), table.name(), Clock.systemUTC());
  private final CreditStore credits = new CreditStore(table.dynamoDb(), table.name());
  private final InvoiceViews views = new InvoiceViews(table.dynamoDb(), table.name());
  private final String contact = UUID.randomUUID().toString();

  /** One contact's invoice and credit notes of every kind the listing and totals treat apart. */
  private List<XeroCredit> creditNotes() {
    return List.of(
        creditNote(
            id(1), contact, "ACCRECCREDIT", "AUTHORISED", TODAY.minusDays(3), "50.00", "20.00", T1),
        creditNote(id(2), contact, "ACCRECCREDIT", "PAID", TODAY.minusDays(9), "30.00", "0.00", T1),
        creditNote(id(3), contact, "ACCRECCREDIT", "DRAFT", TODAY, "10.00", "10.00", T1),
        creditNote(id(4), contact, "ACCRECCREDIT", "VOIDED", TODAY, "5.00", "0.00", T1),
        creditNote(
            id(5),
            contact,
            "ACCPAYCREDIT",
            "AUTHORISED",
            TODAY.minusDays(1),
            "70.00",
            "70.00",
            T1));
  }

  /** A tenant whose contact's invoice and credit notes are stored as the sync stores them now. */
  private String fresh() {
    String tenant = UUID.randomUUID().toString();
    invoices.upsert(
        tenant,
        Invoices.authorised(id(9), contact, TODAY.minusDays(5), TODAY.plusDays(25), "500.00", "0"));
    creditNotes().forEach(c -> credits.upsert(tenant, c));
    // Neither listed nor totalled, then or now: a stub known from an invoice, an overpayment.
    credits.rememberAllocation(tenant, XeroAllocation.Kind.CREDIT_NOTE, id(6), id(9));
    credits.upsert(
        tenant,
        new XeroCredit(
            XeroAllocation.Kind.OVERPAYMENT,
            id(7),
            null,
            null,
            "RECEIVE-OVERPAYMENT",
            "AUTHORISED",
            contact,
            null,
            TODAY,
            "NZD",
            new BigDecimal("8.00"),
            new BigDecimal("8.00"),
            T1,
            List.of()));
    return tenant;
  }

  /** The same, as stored before credit notes were indexed: no keys, no mark, no credit totals. */
  private String stored() {
    String tenant = fresh();
    for (String creditId : List.of(id(1), id(2), id(3), id(4), id(5))) {
      table
          .dynamoDb()
          .updateItem(
              u ->
                  u.tableName(table.name())
                      .key(Keys.key(Keys.creditPk(tenant, creditId), Keys.CREDIT_SK))
                      .updateExpression("REMOVE " + String.join(", ", INDEX_KEYS)));
    }
    String pk = Keys.contactPk(tenant, contact);
    var totals =
        table
            .dynamoDb()
            .query(
                q ->
                    q.tableName(table.name())
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :totals)")
                        .expressionAttributeValues(
                            Map.of(
                                ":pk", AttributeValue.fromS(pk),
                                ":totals", AttributeValue.fromS(Keys.TOTALS_SK_PREFIX))));
    for (var item : totals.items()) {
      if (item.containsKey("unpaidCount")) {
        table
            .dynamoDb()
            .updateItem(
                u ->
                    u.tableName(table.name())
                        .key(Keys.keyOf(item))
                        .updateExpression("REMOVE " + String.join(", ", CREDIT_TOTALS)));
      } else {
        // Made by a credit note alone (the bills' totals): it did not exist then.
        table.dynamoDb().deleteItem(d -> d.tableName(table.name()).key(Keys.keyOf(item)));
      }
    }
    return tenant;
  }

  /** Runs a backfill a page a call until it is done; returns the calls. */
  private static List<Backfill.Progress> runToTheEnd(CreditNoteBackfill backfill) {
    List<Backfill.Progress> calls = new ArrayList<>();
    for (int call = 0; call < 10_000; call++) {
      Backfill.Progress p = backfill.run(1);
      calls.add(p);
      if (p.done()) {
        return calls;
      }
    }
    throw new AssertionError("the backfill never ended");
  }

  /** A backfill with its own progress item, reading 1 MB pages. */
  private CreditNoteBackfill backfill(DynamoDbClient dynamo) {
    return new CreditNoteBackfill(
        dynamo, table.name(), Clock.systemUTC(), "test-" + UUID.randomUUID(), null);
  }

  /**
   * A backfill whose pages are a tenth of the table, so it takes several calls whatever else the
   * shared table holds.
   */
  private CreditNoteBackfill smallPages() {
    int items = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page =
          table
              .dynamoDb()
              .scan(
                  s -> {
                    s.tableName(table.name()).select(Select.COUNT);
                    if (from != null) {
                      s.exclusiveStartKey(from);
                    }
                  });
      items += page.scannedCount();
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null && !start.isEmpty());
    return new CreditNoteBackfill(
        table.dynamoDb(),
        table.name(),
        Clock.systemUTC(),
        "test-" + UUID.randomUUID(),
        Math.max(1, items / 10));
  }

  /** Every listing the credit notes take part in, rows in order: invoices by id, credit notes. */
  private List<Object> listings(String tenant) {
    List<Object> rows = new ArrayList<>();
    for (String type : List.of("ACCREC", "ACCPAY")) {
      for (InvoiceView view : InvoiceView.values()) {
        rows.add(view + " " + type);
        rows.addAll(rows(tenant, query(view, type, null)));
      }
      rows.add("number " + type);
      rows.addAll(rows(tenant, query(InvoiceView.ALL, type, "cn-")));
    }
    return rows;
  }

  private static ViewQuery query(InvoiceView view, String type, @Nullable String number) {
    return new ViewQuery(
        view,
        Set.of(),
        type,
        null,
        null,
        null,
        number,
        false,
        TODAY,
        2,
        ViewQuery.CreditNotes.INCLUDE);
  }

  private List<Object> rows(String tenant, ViewQuery q) {
    List<Object> rows = new ArrayList<>();
    Map<String, Map<String, AttributeValue>> positions = Map.of();
    Set<String> done = Set.of();
    for (int page = 0; page < 20; page++) {
      InvoiceViews.Page p = views.list(tenant, List.of(contact), q, positions, done);
      for (ViewRow row : p.rows()) {
        rows.add(
            switch (row) {
              case ViewRow.Invoice(var inv) -> inv.invoiceId();
              case ViewRow.CreditNote(var c) -> c;
            });
      }
      if (p.positions().isEmpty()) {
        return rows;
      }
      positions = p.positions();
      done = p.done();
    }
    throw new AssertionError("the listing never ended");
  }

  /** The contact's totals, amounts as plain numbers (DynamoDB keeps no trailing zeros). */
  private List<String> totals(String tenant) {
    return invoices.totals(tenant, contact).stream()
        .map(
            t ->
                String.join(
                    " ",
                    t.type(),
                    t.currency(),
                    "paid " + t.paidCount() + " " + plain(t.paidAmount()),
                    "unpaid " + t.unpaidCount() + " " + plain(t.unpaidAmount()),
                    "credit " + t.creditCount() + " " + plain(t.creditAmount()),
                    "used " + t.creditUsedCount() + " " + plain(t.creditUsedAmount())))
        .sorted()
        .toList();
  }

  private static String plain(BigDecimal amount) {
    return amount.stripTrailingZeros().toPlainString();
  }

  @Test
  void storedCreditNotesAreListedAndTotalledAsAFreshUpsertListsAndTotalsThem() {
    String fresh = fresh();
    String stored = stored();
    assertThat(totals(fresh))
        .containsExactly(
            "ACCPAY NZD paid 0 0 unpaid 0 0 credit 1 70 used 0 0",
            "ACCREC NZD paid 0 0 unpaid 1 500 credit 1 20 used 1 30");
    assertThat(totals(stored))
        .containsExactly("ACCREC NZD paid 0 0 unpaid 1 500 credit 0 0 used 0 0");
    assertThat(listings(stored)).isNotEqualTo(listings(fresh));

    List<Backfill.Progress> calls = runToTheEnd(smallPages());

    assertThat(calls).hasSizeGreaterThan(3);
    assertThat(calls.stream().mapToInt(Backfill.Progress::keyed).sum()).isGreaterThanOrEqualTo(5);
    assertThat(listings(stored)).isEqualTo(listings(fresh));
    assertThat(totals(stored)).isEqualTo(totals(fresh));

    // Done once: the same progress item answers at once, and a new Scan finds nothing to do.
    List<Object> listed = listings(stored);
    CreditNoteBackfill again = backfill(table.dynamoDb());
    runToTheEnd(again);
    assertThat(again.run(5)).isEqualTo(new Backfill.Progress(0, true));
    assertThat(runToTheEnd(backfill(table.dynamoDb())))
        .allSatisfy(p -> assertThat(p.keyed()).isZero());
    assertThat(listings(stored)).isEqualTo(listed);
    assertThat(totals(stored)).isEqualTo(totals(fresh));
  }

  /**
   * The sync stores a newer version after the Scan read a credit note and before the backfill puts
   * it: the backfill's put fails on the version, reads it again totalled, and leaves it.
   */
  @Test
  void aCreditNoteResyncedAfterTheScanReadItIsCountedOnce() {
    String fresh = fresh();
    String stored = stored();
    XeroCredit newer = allocatedFurther(id(1));
    credits.upsert(fresh, newer);
    AtomicBoolean synced = new AtomicBoolean();
    DynamoDbClient syncFirst =
        beforeFirstTransaction(
            table.dynamoDb(),
            request -> request.contains(Keys.creditPk(stored, id(1))),
            () -> {
              credits.upsert(stored, newer);
              synced.set(true);
            });

    runToTheEnd(backfill(syncFirst));

    assertThat(synced).isTrue();
    assertListedAndTotalledAlike(
        stored, fresh, "ACCREC NZD paid 0 0 unpaid 1 500 credit 1 5 used 1 30");
  }

  /**
   * The sync read a credit note unmarked, then the backfill totals it, then the sync's put: that
   * put fails on the version the backfill moved, and its retry moves the totals from the counted
   * version to its own.
   */
  @Test
  void aCreditNoteResyncedWhileTheBackfillTotalsItIsCountedOnce() {
    String fresh = fresh();
    String stored = stored();
    XeroCredit newer = allocatedFurther(id(1));
    credits.upsert(fresh, newer);
    AtomicBoolean backfilled = new AtomicBoolean();
    DynamoDbClient backfillFirst =
        beforeFirstTransaction(
            table.dynamoDb(),
            request -> true,
            () -> {
              runToTheEnd(backfill(table.dynamoDb()));
              backfilled.set(true);
            });

    new CreditStore(backfillFirst, table.name()).upsert(stored, newer);

    assertThat(backfilled).isTrue();
    assertListedAndTotalledAlike(
        stored, fresh, "ACCREC NZD paid 0 0 unpaid 1 500 credit 1 5 used 1 30");
  }

  /**
   * An invoice read meanwhile remembers its allocation on the credit note (a new version without
   * the mark): the backfill's put fails, and it reads the credit note again and totals it.
   */
  @Test
  void aCreditNoteWhoseAllocationIsRememberedMeanwhileIsStillTotalledOnce() {
    String fresh = fresh();
    String stored = stored();
    credits.rememberAllocation(fresh, XeroAllocation.Kind.CREDIT_NOTE, id(1), id(8));
    DynamoDbClient rememberFirst =
        beforeFirstTransaction(
            table.dynamoDb(),
            request -> request.contains(Keys.creditPk(stored, id(1))),
            () ->
                credits.rememberAllocation(stored, XeroAllocation.Kind.CREDIT_NOTE, id(1), id(8)));

    runToTheEnd(backfill(rememberFirst));

    assertThat(credits.upsert(stored, creditNotes().getFirst())).contains(id(8));
    assertListedAndTotalledAlike(
        stored, fresh, "ACCREC NZD paid 0 0 unpaid 1 500 credit 1 20 used 1 30");
  }

  /** The stored tenant's listings and totals are the fresh one's, and its ACCREC totals these. */
  private void assertListedAndTotalledAlike(String stored, String fresh, String accrec) {
    assertThat(listings(stored)).isEqualTo(listings(fresh));
    assertThat(totals(stored)).isEqualTo(totals(fresh));
    assertThat(totals(stored)).contains(accrec);
  }

  /** Credit note 1 with 15.00 more of its credit allocated, a second later. */
  private XeroCredit allocatedFurther(String creditId) {
    return creditNote(
        creditId,
        contact,
        "ACCRECCREDIT",
        "AUTHORISED",
        TODAY.minusDays(3),
        "50.00",
        "5.00",
        T1.plusSeconds(1));
  }

  /**
   * The client, running {@code first} before the first TransactWriteItems whose request (as text)
   * {@code matches}.
   */
  private static DynamoDbClient beforeFirstTransaction(
      DynamoDbClient client, java.util.function.Predicate<String> matches, Runnable first) {
    AtomicBoolean ran = new AtomicBoolean();
    return (DynamoDbClient)
        Proxy.newProxyInstance(
            DynamoDbClient.class.getClassLoader(),
            new Class<?>[] {DynamoDbClient.class},
            (proxy, method, args) -> {
              if (method.getName().equals("transactWriteItems")
                  && matches.test(String.valueOf(request(args[0])))
                  && ran.compareAndSet(false, true)) {
                first.run();
              }
              try {
                return method.invoke(client, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @SuppressWarnings("unchecked")
  private static Object request(Object arg) {
    if (arg instanceof java.util.function.Consumer<?> consumer) {
      var builder =
          software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest.builder();
      ((java.util.function.Consumer<Object>) consumer).accept(builder);
      return builder.build();
    }
    return arg;
  }
}
