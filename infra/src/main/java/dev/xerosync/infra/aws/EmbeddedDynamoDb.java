package dev.xerosync.infra.aws;

import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * DynamoDB Local 3.x, in memory, served over HTTP on a free loopback port.
 *
 * <p>Wires DynamoDB Local's own request handler into a Jetty server we configure, rather than going
 * through {@code ServerRunner}: {@code DynamoDBProxyServer} binds every interface on a fixed port and
 * prints its configuration to stdout, whereas this binds 127.0.0.1 on port 0 (no race for a "free"
 * port) and stays silent. Telemetry is never configured, so nothing is sent and no metadata file is
 * written. The 3.x jar extracts its bundled sqlite4java natives to java.io.tmpdir on first use.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

  private final Server server;
  private final LocalDynamoDBRequestHandler requestHandler;
  private final URI endpoint;

  private EmbeddedDynamoDb(Server server, LocalDynamoDBRequestHandler requestHandler, URI endpoint) {
    this.server = server;
    this.requestHandler = requestHandler;
    this.endpoint = endpoint;
  }

  public static EmbeddedDynamoDb start() {
    LocalDynamoDBRequestHandler requestHandler;
    try {
      // (port unused by the handler, inMemory, no dbPath, sharedDb so any credentials/region see
      // the same tables, no artificial CREATING/DELETING delays)
      requestHandler = new LocalDynamoDBRequestHandler(0, true, null, true, false);
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local could not initialise", e);
    }
    var context = new ContextHandler();
    context.setHandler(new LocalDynamoDBServerHandler(requestHandler, null));

    var server = new Server();
    var connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      requestHandler.shutdown();
      throw new IllegalStateException("DynamoDB Local could not start", e);
    }
    var endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    return new EmbeddedDynamoDb(server, requestHandler, endpoint);
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
    } finally {
      requestHandler.shutdown();
    }
  }
}
