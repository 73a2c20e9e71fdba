package dev.xerosync.infra.aws;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import scala.concurrent.Await;

/**
 * ElasticMQ, embedded, speaking the SQS query and JSON protocols on a free loopback port.
 *
 * <p>Queue ARNs and URLs use region us-east-1 and account 000000000000, so ARNs written into
 * RedrivePolicy look like real ones.
 */
public final class EmbeddedSqs implements AutoCloseable {

  static final String REGION = DynamoDbStandIn.REGION;
  static final String ACCOUNT_ID = DynamoDbStandIn.ACCOUNT_ID;

  // ElasticMQ's bundled application.conf logs at DEBUG through SLF4J; an actor system of our own
  // silences Pekko. Daemon threads so a test that forgets close() cannot keep the JVM alive.
  private static final String QUIET_PEKKO =
      """
      pekko {
        loggers = ["org.apache.pekko.event.Logging$DefaultLogger"]
        logging-filter = "org.apache.pekko.event.DefaultLoggingFilter"
        loglevel = OFF
        stdout-loglevel = OFF
        log-dead-letters = off
        log-dead-letters-during-shutdown = off
        daemonic = on
        coordinated-shutdown.run-by-jvm-shutdown-hook = off
      }
      """;

  private final ActorSystem actorSystem;
  private final SQSRestServer server;
  private final URI endpoint;

  private EmbeddedSqs(ActorSystem actorSystem, SQSRestServer server, URI endpoint) {
    this.actorSystem = actorSystem;
    this.server = server;
    this.endpoint = endpoint;
  }

  public static EmbeddedSqs start() {
    var config = ConfigFactory.parseString(QUIET_PEKKO).withFallback(ConfigFactory.load());
    var actorSystem = ActorSystem.create("elasticmq", config);
    try {
      var server =
          SQSRestServerBuilder.withActorSystem(actorSystem)
              .withInterface("127.0.0.1")
              // Host "*" builds queue URLs from each request's Host header; a fixed address would
              // keep the port it was given (0), since withServerAddress turns off port filling.
              .withServerAddress(new NodeAddress("http", "*", 0, ""))
              .withDynamicPort()
              .withAWSRegion(REGION)
              .withAWSAccountId(ACCOUNT_ID)
              .start();
      int port = server.waitUntilStarted().localAddress().getPort();
      return new EmbeddedSqs(actorSystem, server, URI.create("http://127.0.0.1:" + port));
    } catch (RuntimeException e) {
      actorSystem.terminate();
      throw e;
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      server.stopAndWait();
    } finally {
      try {
        Await.result(
            actorSystem.terminate(),
            scala.concurrent.duration.Duration.create(
                Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS));
      } catch (Exception e) {
        throw new IllegalStateException("ElasticMQ's actor system did not stop", e);
      }
    }
  }
}
