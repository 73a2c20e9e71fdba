package dev.xerosync.testsupport;

import dev.xerosync.infra.aws.LocalAws;

/**
 * One set of local AWS stand-ins (resources from template.yaml) per test JVM, for the integration
 * tests that need only tables, queues they do not drain and secrets: starting them once instead of
 * per class saves the suite their start-up each time. Tests that share it keep apart by tenant (a
 * random or class-specific tenant id), never by assuming an empty table; they must not close it.
 */
public final class SharedLocalAws {
  private static LocalAws aws;

  private SharedLocalAws() {}

  public static synchronized LocalAws get() {
    if (aws == null) {
      aws = LocalAws.start();
      Runtime.getRuntime().addShutdownHook(new Thread(aws::close));
    }
    return aws;
  }
}
