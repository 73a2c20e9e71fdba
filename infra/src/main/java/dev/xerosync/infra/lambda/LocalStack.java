package dev.xerosync.infra.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.xerosync.common.Environment;
import dev.xerosync.infra.aws.CloudFormationTemplate;
import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.infra.aws.iam.IamEnforcement;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.TokenSet;
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.infra.xero.control.ControlApi;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.sync.SyncWiring;
import dev.xerosync.tokens.ConnectionTokens;
import dev.xerosync.tokens.TokenVault;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole system on one machine: embedded AWS, the Xero simulator, and every function of
 * template.yaml hosted as Lambda would host it, wired by the template's own events and environment.
 */
public final class LocalStack implements AutoCloseable {
  public static final String CLIENT_ID = "xero-sync-local-app";

  /**
   * Ports (0 = any free one), pollers per SQS mapping, an optional visibility timeout override, and
   * handler overrides by function: a test can host a function built from other collaborators (e.g.
   * clients that crash on purpose) while everything else stays as the template says.
   */
  public record Options(
      int apiPort,
      int simulatorPort,
      int pollersPerQueue,
      Duration visibilityTimeout,
      double scheduleSpeedUp,
      Map<String, Function<Environment, Object>> handlerOverrides) {
    public static Options defaults() {
      return new Options(0, 0, 4, null, 1.0, Map.of());
    }

    public Options withPorts(int api, int simulator) {
      return new Options(
          api, simulator, pollersPerQueue, visibilityTimeout, scheduleSpeedUp, handlerOverrides);
    }

    public Options withVisibilityTimeout(Duration timeout) {
      return new Options(
          apiPort, simulatorPort, pollersPerQueue, timeout, scheduleSpeedUp, handlerOverrides);
    }

    public Options withHandler(String functionLogicalId, Function<Environment, Object> factory) {
      Map<String, Function<Environment, Object>> overrides = new HashMap<>(handlerOverrides);
      overrides.put(functionLogicalId, factory);
      return new Options(
          apiPort,
          simulatorPort,
          pollersPerQueue,
          visibilityTimeout,
          scheduleSpeedUp,
          Map.copyOf(overrides));
    }
  }

  private final LocalAws aws;
  private final XeroSimulator xero;
  private final ApiGatewayHost api;
  private final @org.jspecify.annotations.Nullable WebSocketApiHost sockets;
  private final List<SqsEventSource> eventSources;
  private final ScheduleTicker ticker;
  private final Map<String, Object> handlers;
  private final Map<String, Map<String, String>> variables;
  private final TokenVault vault;
  private final String adminApiKey;
  private final String notificationSigningKey;
  private final List<IamEnforcement.Credentials> roleCredentials;
  private final List<SqsClient> pollerClients;
  private final ControlApi simControl;
  private SyncWiring wiring;

  LocalStack(
      LocalAws aws,
      XeroSimulator xero,
      ControlApi simControl,
      ApiGatewayHost api,
      @org.jspecify.annotations.Nullable WebSocketApiHost sockets,
      List<SqsEventSource> eventSources,
      ScheduleTicker ticker,
      Map<String, Object> handlers,
      Map<String, Map<String, String>> variables,
      String adminApiKey,
      String notificationSigningKey,
      List<IamEnforcement.Credentials> roleCredentials,
      List<SqsClient> pollerClients) {
    this.roleCredentials = roleCredentials;
    this.pollerClients = pollerClients;
    this.adminApiKey = adminApiKey;
    this.notificationSigningKey = notificationSigningKey;
    this.aws = aws;
    this.xero = xero;
    this.simControl = simControl;
    this.api = api;
    this.sockets = sockets;
    this.eventSources = eventSources;
    this.ticker = ticker;
    this.handlers = handlers;
    this.variables = variables;
    this.vault =
        new TokenVault(
            aws.secretsManager(),
            variables.get("SyncWorkerFunction").get("CONNECTION_SECRET_PREFIX"));
  }

  /** Starts the stack template.yaml describes; {@link LocalStackAssembly} does the wiring. */
  public static LocalStack start(Options options) throws Exception {
    CloudFormationTemplate template = CloudFormationTemplate.fromClasspath();
    LocalAws aws = LocalAws.start(template);
    // What started so far, closed in reverse when a later step fails (a template AWS would roll
    // back, say), so a failed start leaves no servers or registered credentials behind.
    List<AutoCloseable> started = new ArrayList<>(List.of(aws));
    try {
      return LocalStackAssembly.assemble(options, template, aws, started);
    } catch (Exception | Error e) {
      for (AutoCloseable c : started.reversed()) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * Connects an organisation as the hosted connect flow would: the simulator grants our app access,
   * the tokens go to the connection's secret, and the initial sync starts.
   */
  public void connect(SimOrganisation organisation) {
    TokenSet granted = xero.grant(CLIENT_ID, organisation.tenantId());
    vault.write(
        organisation.tenantId(),
        new ConnectionTokens(
            granted.accessToken(),
            granted.refreshToken(),
            granted.accessTokenExpiresAt(),
            xero.clock().instant()));
    workerWiring().sync().startInitialSync(organisation.tenantId(), "local-connect");
  }

  /**
   * Issues a tenant's API key as a deployment does: by invoking ApiKeyAdminFunction ({@code
   * {"action":"create"}}), which also gives the tenant its usage-plan key; a key written to the
   * table alone would be refused by the gateway (403), as on AWS.
   */
  @SuppressWarnings("unchecked")
  public ApiKeys.IssuedKey issueApiKey(String tenantId, String name) {
    var admin =
        (RequestHandler<Map<String, Object>, Map<String, Object>>)
            handlers.get("ApiKeyAdminFunction");
    Map<String, Object> out =
        admin.handleRequest(Map.of("action", "create", "tenantId", tenantId, "name", name), null);
    if (out.containsKey("error")) {
      throw new IllegalArgumentException("ApiKeyAdminFunction: " + out.get("error"));
    }
    return new ApiKeys.IssuedKey(
        (String) out.get("keyId"),
        tenantId,
        name,
        Instant.parse((String) out.get("createdAt")),
        (String) out.get("apiKey"));
  }

  /** The connections' token secrets, under the prefix template.yaml derives from the stack name. */
  public TokenVault vault() {
    return vault;
  }

  /** The worker's own collaborators, for driving the sync directly in tests and benchmarks. */
  public synchronized SyncWiring workerWiring() {
    if (wiring == null) {
      wiring = SyncWiring.of(environment("SyncWorkerFunction"));
    }
    return wiring;
  }

  /**
   * The deployment's admin API key (ADMIN_API_KEY, or random per run): x-admin-key, and the key
   * admin tokens are signed with.
   */
  public String adminApiKey() {
    return adminApiKey;
  }

  /** The key notifications are signed with, for a receiver to verify them. */
  public String notificationSigningKey() {
    return notificationSigningKey;
  }

  public URI apiUrl() {
    return api.baseUrl();
  }

  public URI webhookUrl() {
    return URI.create(api.baseUrl() + "/webhooks/xero");
  }

  public XeroSimulator xero() {
    return xero;
  }

  /** The simulator's control API tokens (docs/simulator.md, "Control API"). */
  public ControlApi simulatorControl() {
    return simControl;
  }

  public LocalAws aws() {
    return aws;
  }

  public ScheduleTicker schedules() {
    return ticker;
  }

  public Object handler(String logicalId) {
    return handlers.get(logicalId);
  }

  /** A function's environment as the host hands it over: its variables and the stack's clock. */
  public Environment environment(String logicalId) {
    return Environment.of(variables.get(logicalId)).withClock(xero.clock());
  }

  /** The variables a function's environment holds here, e.g. to start it as its own process. */
  public Map<String, String> environmentVariables(String logicalId) {
    return variables.get(logicalId);
  }

  public List<SqsEventSource> eventSources() {
    return eventSources;
  }

  /** The template's WebSocket API (the panels' change notices), as the local host serves it. */
  public WebSocketApiHost webSocketApi() {
    if (sockets == null) {
      throw new IllegalStateException("template.yaml declares no WebSocket API");
    }
    return sockets;
  }

  @Override
  public void close() {
    ticker.close();
    eventSources.forEach(SqsEventSource::close);
    pollerClients.forEach(SqsClient::close);
    roleCredentials.forEach(IamEnforcement::unregister);
    api.close();
    if (sockets != null) {
      sockets.close();
    }
    xero.close();
    aws.close();
  }
}
