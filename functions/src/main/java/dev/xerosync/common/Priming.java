package dev.xerosync.common;

import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming (org.crac): before Lambda snapshots a published version, each registered
 * handler runs its {@code prime()} once, so the classes of its hot path are loaded and initialised,
 * and the AWS SDK clients have marshalled, signed, sent and unmarshalled a request, inside the
 * snapshot.
 *
 * <p>A prime only reads, or makes a request AWS refuses (an empty batch), so it changes nothing. It
 * caches nothing unique: no tenant data, no token, no random value is kept by our code; the SDK
 * reads the function's credentials from the environment on each request, and the JDK drops the
 * pooled connection the prime left once it is older than its keep-alive (5 s), so every restored
 * copy opens its own. A prime that fails is logged and ignored: it only makes the first request
 * slower.
 */
public final class Priming implements Resource {
  private static final Log LOG = Log.of(Priming.class);
  // org.crac holds resources weakly; these strong references keep them registered.
  private static final List<Priming> REGISTERED = new ArrayList<>();

  private final String owner;
  private final Runnable prime;

  private Priming(String owner, Runnable prime) {
    this.owner = owner;
    this.prime = prime;
  }

  /**
   * Runs {@code prime} before the snapshot; handlers call this from the no-arg constructor Lambda
   * uses.
   */
  public static synchronized void register(Class<?> owner, Runnable prime) {
    Priming p = new Priming(owner.getSimpleName(), prime);
    REGISTERED.add(p);
    Core.getGlobalContext().register(p);
  }

  /**
   * What the checkpoint would run, for the cold-start benchmark (a plain JDK cannot checkpoint).
   */
  public static synchronized void primeAll() {
    REGISTERED.forEach(Priming::run);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    run();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to renew: see the class comment.
  }

  private void run() {
    try {
      prime.run();
    } catch (RuntimeException e) {
      LOG.warn(
          "priming failed; the first request will load what it needs",
          "handler",
          owner,
          "error",
          e.getClass().getSimpleName());
    }
  }
}
