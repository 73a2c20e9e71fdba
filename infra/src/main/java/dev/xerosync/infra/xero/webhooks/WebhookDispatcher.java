package dev.xerosync.infra.xero.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.XeroJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends events to the subscriber as Xero does: JSON body {events, firstEventSequence,
 * lastEventSequence, entropy}, signed with x-xero-signature = base64(HMAC-SHA256(webhook key, raw
 * body)). Events raised within the batch window share one delivery. Work happens on a background
 * virtual thread, never on the caller's. Failed deliveries are retried with exponential backoff on
 * the simulator clock; after 24 hours of failures the subscription is disabled, like Xero's.
 */
public final class WebhookDispatcher implements AutoCloseable {
  public enum Status {
    ACTIVE,
    VERIFIED,
    INTENT_FAILED,
    DISABLED
  }

  public static final Duration DISABLE_AFTER = Duration.ofHours(24);
  static final Duration RECEIVER_TIMEOUT = Duration.ofSeconds(5);

  /** body is fixed at the first attempt: retries resend the same bytes and signature. */
  private record Pending(
      List<WebhookEvent> events, long first, long last, int attempt, Instant due, String body) {}

  private final Clock clock;
  private final Duration batchWindow;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(RECEIVER_TIMEOUT).build();
  private final Random entropy = new Random();
  private final Object lock = new Object();
  private final List<WebhookEvent> queued = new ArrayList<>();
  private final List<Pending> retries = new ArrayList<>();

  /** The latest deliveries, for tests and benchmarks: bounded, a soak run sends without end. */
  static final int LOG_LIMIT = 10_000;

  private final java.util.Deque<Delivery> log = new java.util.ArrayDeque<>();
  private volatile String key;
  private volatile URI url;
  private volatile Status status = Status.ACTIVE;
  private volatile DeliveryFaults faults = DeliveryFaults.NONE;
  private Pending heldBack;
  private long sequence;
  private long firstQueuedAt;
  private boolean busy;
  private Instant failingSince;
  private volatile boolean closed;
  private final Thread worker;

  public WebhookDispatcher(Clock clock, String key, URI url, Duration batchWindow) {
    this.clock = clock;
    this.key = key;
    this.url = url;
    this.batchWindow = batchWindow;
    this.worker = Thread.ofVirtual().name("xero-sim-webhooks").start(this::run);
  }

  public void url(URI u) {
    this.url = u;
  }

  public URI url() {
    return url;
  }

  public void key(String k) {
    this.key = k;
  }

  public Status status() {
    return status;
  }

  public void faults(DeliveryFaults f) {
    this.faults = f == null ? DeliveryFaults.NONE : f;
  }

  private void record(Delivery d) {
    synchronized (log) {
      log.addLast(d);
      if (log.size() > LOG_LIMIT) {
        log.removeFirst();
      }
    }
  }

  public List<Delivery> deliveries() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /**
   * Queues an event; dropped when no URL is configured or the subscription is disabled or failed
   * its check.
   */
  public void publish(WebhookEvent e) {
    if (url == null || status == Status.DISABLED || status == Status.INTENT_FAILED) {
      return;
    }
    synchronized (lock) {
      if (queued.isEmpty()) {
        firstQueuedAt = System.nanoTime();
      }
      queued.add(e);
      lock.notifyAll();
    }
  }

  /**
   * Intent to receive: sends correctly and incorrectly signed empty deliveries. The subscription is
   * valid only if the receiver accepts the good one with 200 and rejects the bad one with 401.
   */
  public boolean verifyIntentToReceive() {
    URI target = url;
    if (target == null) {
      throw new IllegalStateException("no webhook URL configured");
    }
    boolean ok = true;
    for (boolean good : new boolean[] {true, false, true, false}) {
      String body = payload(List.of(), 0, 0);
      String sig = sign(body);
      if (!good) {
        sig = sign(body + "x");
      }
      int code = post(target, body, sig);
      record(new Delivery(clock.instant(), code, List.of(), body, sig, true, good, 1));
      ok &= good ? code == 200 : code == 401;
    }
    status = ok ? Status.VERIFIED : Status.INTENT_FAILED;
    return ok;
  }

  /** Waits until nothing is queued or being sent (scheduled retries not yet due do not count). */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!queued.isEmpty() || busy || dueRetry() != null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
      }
      return true;
    }
  }

  public int pendingRetries() {
    synchronized (lock) {
      return retries.size();
    }
  }

  private Pending dueRetry() {
    Instant now = clock.instant();
    for (Pending p : retries) {
      if (!p.due().isAfter(now)) {
        return p;
      }
    }
    return null;
  }

  private void run() {
    while (!closed) {
      Pending next;
      synchronized (lock) {
        try {
          next = dueRetry();
          if (next != null) {
            retries.remove(next);
          } else if (!queued.isEmpty()) {
            long waitNanos = batchWindow.toNanos() - (System.nanoTime() - firstQueuedAt);
            if (waitNanos > 0) {
              TimeUnit.NANOSECONDS.timedWait(lock, waitNanos);
              continue;
            }
            List<WebhookEvent> batch = List.copyOf(queued);
            queued.clear();
            long first = sequence + 1;
            sequence += batch.size();
            next =
                new Pending(
                    batch, first, sequence, 1, clock.instant(), payload(batch, first, sequence));
          } else {
            // Poll: retries fall due when the simulator clock is advanced, which we are not told
            // about.
            lock.wait(20);
            continue;
          }
          busy = true;
        } catch (InterruptedException e) {
          return;
        }
      }
      try {
        send(next);
      } finally {
        synchronized (lock) {
          busy = false;
          lock.notifyAll();
        }
      }
    }
  }

  private void send(Pending p) {
    if (status == Status.DISABLED) {
      return;
    }
    DeliveryFaults f = faults;
    if (p.attempt() == 1) {
      if (f.drop()) {
        return;
      }
      if (f.reorder() && heldBack == null) {
        heldBack = p;
        return;
      }
    }
    attempt(p);
    if (p.attempt() == 1 && f.duplicate()) {
      attempt(p);
    }
    Pending held = heldBack;
    if (held != null && held != p) {
      heldBack = null;
      attempt(held);
    }
  }

  private void attempt(Pending p) {
    URI target = url;
    if (target == null) {
      return;
    }
    String body = p.body();
    String sig = sign(body);
    int code = post(target, body, sig);
    Instant now = clock.instant();
    record(new Delivery(now, code, p.events(), body, sig, false, true, p.attempt()));
    synchronized (lock) {
      if (code >= 200 && code < 300) {
        failingSince = null;
        return;
      }
      if (failingSince == null) {
        failingSince = now;
      }
      if (!now.isBefore(failingSince.plus(DISABLE_AFTER))) {
        status = Status.DISABLED;
        retries.clear();
        return;
      }
      // Exponential backoff: 1, 2, 4 ... minutes, capped at an hour.
      long minutes = Math.min(60, 1L << Math.min(6, p.attempt() - 1));
      retries.add(
          new Pending(
              p.events(),
              p.first(),
              p.last(),
              p.attempt() + 1,
              now.plus(Duration.ofMinutes(minutes)),
              body));
    }
  }

  private int post(URI target, String body, String signature) {
    HttpRequest req =
        HttpRequest.newBuilder(target)
            .timeout(RECEIVER_TIMEOUT)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("x-xero-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return -1;
    }
  }

  String payload(List<WebhookEvent> events, long first, long last) {
    ObjectNode root = XeroJson.object();
    ArrayNode arr = root.putArray("events");
    for (WebhookEvent e : events) {
      arr.addObject()
          .put("resourceUrl", e.resourceUrl())
          .put("resourceId", e.resourceId())
          .put("eventDateUtc", XeroJson.eventTimestamp(e.eventDateUtc()))
          .put("eventType", e.eventType())
          .put("eventCategory", e.eventCategory())
          .put("tenantId", e.tenantId())
          .put("tenantType", "ORGANISATION");
    }
    root.put("firstEventSequence", first).put("lastEventSequence", last).put("entropy", entropy());
    return root.toString();
  }

  private String entropy() {
    StringBuilder sb = new StringBuilder(20);
    synchronized (entropy) {
      for (int i = 0; i < 20; i++) {
        sb.append((char) ('A' + entropy.nextInt(26)));
      }
    }
    return sb.toString();
  }

  public String sign(String body) {
    return sign(key, body.getBytes(StandardCharsets.UTF_8));
  }

  public static String sign(String key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    http.close();
  }
}
