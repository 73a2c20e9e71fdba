package dev.xerosync.sync;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import dev.xerosync.infra.xero.ledger.LedgerException;
import dev.xerosync.infra.xero.ledger.Payment;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.CreditStore;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.testsupport.StackQueues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Random changes to several organisations while everything that can go wrong does: Xero 5xx
 * answers, forced 429s of each kind, dropped, duplicated and reordered webhooks, and worker
 * invocations killed part-way through a batch. Then reconciliation, and a field-by-field comparison
 * with Xero's truth.
 */
final class ConvergenceScenario {
  record Size(int tenants, int changes, int contactsPerTenant, long seed) {}

  /** differences covers invoices and totals; creditDifferences credits and their allocations. */
  record Result(
      int applied,
      int refused,
      long crashes,
      Duration convergence,
      Map<String, List<String>> differences,
      Map<String, List<String>> creditDifferences,
      int creditChanges) {
    boolean converged() {
      return differences.values().stream().allMatch(List::isEmpty)
          && creditDifferences.values().stream().allMatch(List::isEmpty);
    }
  }

  /**
   * A worker "process" that dies: an Error, which nothing in the worker catches, as a killed Lambda
   * would stop.
   */
  static final class WorkerKilled extends Error {
    WorkerKilled() {
      super("worker invocation killed mid-batch (chaos)", null, false, false);
    }
  }

  private ConvergenceScenario() {}

  static Result run(Size size, Consumer<String> progress) throws Exception {
    Random random = new Random(size.seed());
    AtomicInteger armed = new AtomicInteger(-1);
    AtomicLong crashes = new AtomicLong();
    ExecutionInterceptor killer =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (armed.get() > 0 && armed.decrementAndGet() == 0) {
              crashes.incrementAndGet();
              throw new WorkerKilled();
            }
          }
        };
    Random chaos = new Random(size.seed() + 1);
    LocalStack.Options options =
        LocalStack.Options.defaults()
            .withVisibilityTimeout(Duration.ofSeconds(2))
            .withHandler("SyncWorkerFunction", env -> killableWorker(env, killer, armed, chaos));
    try (LocalStack stack = LocalStack.start(options)) {
      String table = stack.aws().resources().tableName("Table");
      InvoiceStore store = new InvoiceStore(stack.aws().dynamoDb(), table, Clock.systemUTC());
      CreditStore credits = new CreditStore(stack.aws().dynamoDb(), table);
      Connections connections = new Connections(stack.aws().dynamoDb(), table);
      List<SimOrganisation> orgs = new ArrayList<>();
      Map<String, List<String>> contacts = new LinkedHashMap<>();
      for (int t = 0; t < size.tenants(); t++) {
        SimOrganisation org = stack.xero().createOrganisation("Convergence " + t);
        List<String> cs = new ArrayList<>();
        for (int c = 0; c < size.contactsPerTenant(); c++) {
          cs.add(org.createContact("Customer " + t + "-" + c));
        }
        contacts.put(org.tenantId(), cs);
        orgs.add(org);
        stack.connect(org);
      }
      for (SimOrganisation org : orgs) {
        SyncEngineIntegrationTest.await(
            () ->
                connections
                    .get(org.tenantId())
                    .filter(c -> c.status() == ConnectionStatus.CONNECTED)
                    .orElse(null),
            Duration.ofSeconds(120),
            "initial sync");
      }
      progress.accept(size.tenants() + " tenants connected; faults on");

      // No forced day-limit 429 here: Xero's Retry-After for it is an hour, and pausing the tenant
      // that long
      // is the right answer (the policy scenario covers that path), so the run could not converge
      // sooner.
      stack
          .xero()
          .faults()
          .reseed(size.seed())
          .serverErrors(0.05)
          .dropWebhooks(0.2)
          .duplicateWebhooks(0.1)
          .reorderWebhooks(0.1)
          .force429("minute", 3)
          .force429("appminute", 2)
          .force429("concurrent", 2);
      int applied = 0;
      int refused = 0;
      int creditChanges = 0;
      LocalDate today = LocalDate.now();
      for (int i = 0; i < size.changes(); i++) {
        SimOrganisation org = orgs.get(random.nextInt(orgs.size()));
        try {
          if (random.nextInt(100) < 35) {
            creditChange(org, contacts.get(org.tenantId()), random, today);
            creditChanges++;
          } else {
            change(org, contacts.get(org.tenantId()), random, today);
          }
          applied++;
        } catch (LedgerException e) {
          refused++;
        }
        if ((i + 1) % Math.max(1, size.changes() / 10) == 0) {
          progress.accept((i + 1) + " changes made");
        }
      }
      long started = System.nanoTime();
      stack.xero().faults().clear();
      stack.xero().awaitDeliveriesIdle(Duration.ofSeconds(30));
      Map<String, List<String>> differences = new LinkedHashMap<>();
      Map<String, List<String>> creditDifferences = new LinkedHashMap<>();
      for (int round = 0; round < 4; round++) {
        drain(stack, Duration.ofMinutes(5));
        stack.schedules().fire("ReconcileFunction");
        drain(stack, Duration.ofMinutes(5));
        differences.clear();
        creditDifferences.clear();
        for (SimOrganisation org : orgs) {
          differences.put(org.tenantId(), Convergence.differences(org, store));
          creditDifferences.put(org.tenantId(), Convergence.creditDifferences(org, store, credits));
        }
        if (differences.values().stream().allMatch(List::isEmpty)
            && creditDifferences.values().stream().allMatch(List::isEmpty)) {
          break;
        }
        progress.accept(
            "round "
                + round
                + ": "
                + differences.values().stream().mapToInt(List::size).sum()
                + " differences and "
                + creditDifferences.values().stream().mapToInt(List::size).sum()
                + " credit differences left");
      }
      return new Result(
          applied,
          refused,
          crashes.get(),
          Duration.ofNanos(System.nanoTime() - started),
          differences,
          creditDifferences,
          creditChanges);
    }
  }

  /**
   * The real worker, with a DynamoDB client that can be made to die at a random call of a random
   * invocation.
   */
  private static Object killableWorker(
      Environment env, ExecutionInterceptor killer, AtomicInteger armed, Random chaos) {
    DynamoDbClient dynamo =
        DynamoDbClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(URI.create(env.required("AWS_ENDPOINT_URL_DYNAMODB")))
            .region(software.amazon.awssdk.regions.Region.of(env.required("AWS_REGION")))
            .credentialsProvider(dev.xerosync.infra.aws.LocalAws.credentials())
            .overrideConfiguration(c -> c.addExecutionInterceptor(killer))
            .build();
    SyncWorkerHandler worker =
        new SyncWorkerHandler(
            SyncWiring.of(env, dynamo, AwsClients.sqs(env), AwsClients.secretsManager(env)));
    return (RequestHandler<SQSEvent, SQSBatchResponse>)
        (event, context) -> {
          synchronized (chaos) {
            if (chaos.nextDouble() < 0.05) {
              armed.set(1 + chaos.nextInt(30));
            }
          }
          return worker.handleRequest(event, context);
        };
  }

  private static void change(
      SimOrganisation org, List<String> contacts, Random random, LocalDate today) {
    List<InvoiceView> invoices = org.invoices();
    int op = random.nextInt(100);
    if (op < 30 || invoices.isEmpty()) {
      String contact = contacts.get(random.nextInt(contacts.size()));
      org.createAuthorisedInvoice(
          contact,
          today.minusDays(random.nextInt(90)),
          today.plusDays(random.nextInt(60) - 30),
          BigDecimal.valueOf(1000 + random.nextInt(99_000), 2));
      return;
    }
    InvoiceView v = invoices.get(random.nextInt(invoices.size()));
    String id = v.invoice().invoiceId();
    if (op < 55) {
      BigDecimal part =
          v.amountDue().divide(BigDecimal.valueOf(2 + random.nextInt(3)), 2, RoundingMode.DOWN);
      org.pay(id, part.signum() > 0 ? part : v.amountDue(), today, "part " + random.nextInt(1000));
    } else if (op < 70) {
      org.pay(id, v.amountDue(), today, "rest");
    } else if (op < 80) {
      List<Payment> live =
          v.payments().stream().filter(p -> !Payment.DELETED.equals(p.status())).toList();
      if (live.isEmpty()) {
        throw new LedgerException("no payment to reverse");
      }
      org.reversePayment(live.get(random.nextInt(live.size())).paymentId());
    } else if (op < 88) {
      BigDecimal credit = v.amountDue().min(BigDecimal.valueOf(500 + random.nextInt(5000), 2));
      org.creditNote(id, credit, today);
    } else if (op < 95) {
      org.voidInvoice(id);
    } else {
      String contact = contacts.get(random.nextInt(contacts.size()));
      String draft =
          org.createDraftInvoice(
              contact, null, today, today.plusDays(14), BigDecimal.valueOf(2500, 2), "NZD");
      org.authorise(draft);
    }
  }

  /**
   * A change to credits: a credit note, overpayment or prepayment created, part of one allocated to
   * an open invoice of its contact, an allocation deleted (reopening its invoice), or part of a
   * credit refunded (a payment of the credit in Xero's Payments feed).
   */
  private static void creditChange(
      SimOrganisation org, List<String> contacts, Random random, LocalDate today) {
    List<Credit> credits = org.credits();
    int op = random.nextInt(100);
    if (op < 25 || credits.isEmpty()) {
      String contact = contacts.get(random.nextInt(contacts.size()));
      BigDecimal amount = BigDecimal.valueOf(500 + random.nextInt(20_000), 2);
      LocalDate date = today.minusDays(random.nextInt(60));
      switch (random.nextInt(3)) {
        case 0 -> org.creditNoteFor(contact, amount, date);
        case 1 -> org.overpayment(contact, amount, date);
        default -> org.prepayment(contact, amount, date);
      }
      return;
    }
    Credit credit = credits.get(random.nextInt(credits.size()));
    if (op < 65) {
      List<InvoiceView> open =
          org.invoices().stream()
              .filter(v -> v.invoice().contactId().equals(credit.contactId()))
              .filter(v -> "AUTHORISED".equals(v.status()) && v.amountDue().signum() > 0)
              .toList();
      BigDecimal left = org.remainingCredit(credit.creditId());
      if (open.isEmpty() || left.signum() <= 0) {
        throw new LedgerException("nothing to allocate");
      }
      InvoiceView v = open.get(random.nextInt(open.size()));
      BigDecimal amount =
          left.min(v.amountDue())
              .multiply(BigDecimal.valueOf(random.nextBoolean() ? 100 : 20 + random.nextInt(80)))
              .divide(BigDecimal.valueOf(100), 2, RoundingMode.DOWN);
      org.allocate(
          credit.creditId(), v.invoice().invoiceId(), amount.signum() > 0 ? amount : left, today);
    } else if (op < 90) {
      var allocations = org.allocations(credit.creditId());
      if (allocations.isEmpty()) {
        throw new LedgerException("no allocation to delete");
      }
      org.deallocate(
          credit.creditId(), allocations.get(random.nextInt(allocations.size())).allocationId());
    } else {
      BigDecimal left = org.remainingCredit(credit.creditId());
      BigDecimal amount = left.divide(BigDecimal.valueOf(2), 2, RoundingMode.DOWN);
      if (amount.signum() <= 0) {
        throw new LedgerException("nothing to refund");
      }
      org.refundCredit(credit.creditId(), amount, today);
    }
  }

  /** Waits until the sync queue and the delay queue hold nothing visible, in flight or delayed. */
  static void drain(LocalStack stack, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int quiet = 0;
    while (System.nanoTime() < deadline && quiet < 3) {
      long depth = StackQueues.depth(stack, "SyncQueue", "SyncDelayQueue");
      quiet = depth == 0 ? quiet + 1 : 0;
      Thread.sleep(300);
    }
  }
}
