package dev.xerosync.infra.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.infra.aws.ApiGatewayStandIn;
import dev.xerosync.infra.aws.CloudFormationTemplate;
import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.infra.aws.iam.EffectivePermissions;
import dev.xerosync.infra.aws.iam.IamEnforcement;
import dev.xerosync.infra.aws.iam.RequestedActions;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.TokenSet;
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.infra.xero.control.ControlApi;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.sync.SyncWiring;
import dev.xerosync.tokens.ConnectionTokens;
import dev.xerosync.tokens.TokenVault;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
  private SyncWiring wiring;
  private ControlApi simControl;

  private LocalStack(
      LocalAws aws,
      XeroSimulator xero,
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

  public static LocalStack start(Options options) throws Exception {
    CloudFormationTemplate template = CloudFormationTemplate.fromClasspath();
    LocalAws aws = LocalAws.start(template);
    // What started so far, closed in reverse when a later step fails (a template AWS would roll
    // back, say), so a failed start leaves no servers or registered credentials behind.
    List<AutoCloseable> started = new ArrayList<>(List.of(aws));
    try {
      return start(options, template, aws, started);
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

  @SuppressWarnings("unchecked")
  private static LocalStack start(
      Options options, CloudFormationTemplate template, LocalAws aws, List<AutoCloseable> started)
      throws Exception {
    String clientSecret = randomHex(24);
    String webhookKey = randomHex(32);
    XeroSimulator xero =
        XeroSimulator.builder()
            .port(options.simulatorPort())
            .app(CLIENT_ID, clientSecret)
            .webhookKey(webhookKey)
            .build();
    // The local stack is where a person drives the simulator: its control API is on here only.
    ControlApi simControl = ControlApi.mount(xero);
    xero.start();
    started.add(xero);

    // Template defaults first, then the values that point the functions at the local stand-ins.
    Map<String, String> parameters = new HashMap<>();
    template
        .tree()
        .path("Parameters")
        .properties()
        .forEach(
            p -> {
              if (p.getValue().has("Default")) {
                parameters.put(p.getKey(), p.getValue().get("Default").asText());
              }
            });
    String adminApiKey = System.getenv().getOrDefault("ADMIN_API_KEY", randomHex(32));
    String notificationSigningKey = randomHex(32);
    parameters.put("AdminApiKey", adminApiKey);
    parameters.put("NotificationSigningKey", notificationSigningKey);
    parameters.putAll(
        Map.of(
            "XeroClientId",
            CLIENT_ID,
            "XeroClientSecret",
            clientSecret,
            "XeroWebhookKey",
            webhookKey,
            "XeroApiBaseUrl",
            xero.baseUrl().toString(),
            "XeroIdentityBaseUrl",
            xero.baseUrl().toString(),
            "XeroLoginBaseUrl",
            xero.baseUrl().toString()));
    Map<String, String> refs = new HashMap<>();
    Map<String, Map<String, String>> attributes = new HashMap<>();
    WebSocketApiHost sockets = WebSocketApis.start(template.tree(), refs, attributes);
    if (sockets != null) {
      started.add(sockets);
    }
    template
        .tree()
        .path("Resources")
        .properties()
        .forEach(
            resource -> {
              String id = resource.getKey();
              switch (resource.getValue().path("Type").asText()) {
                case "AWS::DynamoDB::Table" -> {
                  String name = aws.resources().tableName(id);
                  refs.put(id, name);
                  attributes.put(
                      id, Map.of("Arn", "arn:aws:dynamodb:us-east-1:000000000000:table/" + name));
                }
                case "AWS::SQS::Queue" -> {
                  String url = aws.resources().queueUrl(id);
                  refs.put(id, url);
                  attributes.put(
                      id,
                      Map.of(
                          "Arn",
                          aws.resources().queueArn(id),
                          "QueueName",
                          url.substring(url.lastIndexOf('/') + 1)));
                }
                // Created with the stack, as CloudFormation would (its !Ref is the plan's id).
                case "AWS::ApiGateway::UsagePlan" -> {
                  var props = resource.getValue().path("Properties");
                  String planId = ApiGatewayStandIn.planId(id);
                  aws.apiGateway()
                      .createUsagePlan(
                          new ApiGatewayStandIn.UsagePlan(
                              planId,
                              props.path("Throttle").path("RateLimit").asDouble(0),
                              props.path("Throttle").path("BurstLimit").asInt(0),
                              props.path("Quota").path("Limit").asLong(0),
                              props.path("Quota").path("Period").asText("MONTH")));
                  refs.put(id, planId);
                }
                default -> {}
              }
            });
    LocalIntrinsics intrinsics = new LocalIntrinsics(parameters, refs, attributes);
    // The template's API keys, each in the plan its AWS::ApiGateway::UsagePlanKey names.
    template
        .tree()
        .path("Resources")
        .properties()
        .forEach(
            resource -> {
              var props = resource.getValue().path("Properties");
              if (!resource
                  .getValue()
                  .path("Type")
                  .asText()
                  .equals("AWS::ApiGateway::UsagePlanKey")) {
                return;
              }
              String keyId = props.path("KeyId").path("Ref").asText();
              var key = template.tree().path("Resources").path(keyId).path("Properties");
              refs.put(
                  keyId,
                  aws.apiGateway()
                      .createApiKey(
                          keyId,
                          intrinsics.resolve(key.path("Value")),
                          key.path("Enabled").asBoolean(false),
                          intrinsics.resolve(props.path("UsagePlanId"))));
            });
    Map<String, String> secretArns = new HashMap<>();
    // Secrets the template defines are created in the stand-in, with their resolved or generated
    // value.
    template
        .tree()
        .path("Resources")
        .properties()
        .forEach(
            resource -> {
              if (!resource
                  .getValue()
                  .path("Type")
                  .asText()
                  .equals("AWS::SecretsManager::Secret")) {
                return;
              }
              var props = resource.getValue().path("Properties");
              String name =
                  props.has("Name") ? intrinsics.resolve(props.get("Name")) : resource.getKey();
              String value =
                  props.has("SecretString")
                      ? intrinsics.resolve(props.get("SecretString"))
                      : randomHex(32);
              String arn =
                  aws.secretsManager().createSecret(r -> r.name(name).secretString(value)).arn();
              refs.put(resource.getKey(), name);
              secretArns.put(resource.getKey(), arn);
            });
    // Each function's role as IAM evaluates it; its credentials hold its clients to it.
    Map<String, EffectivePermissions> roles =
        LocalRoles.of(template, parameters, refs, attributes, secretArns);
    RequestedActions requested =
        new RequestedActions(LocalRoles.REGION, LocalRoles.ACCOUNT, LocalRoles.secretArns(aws));
    Map<String, IamEnforcement.Credentials> credentials = new LinkedHashMap<>();
    roles.forEach((id, role) -> credentials.put(id, IamEnforcement.register(role, requested)));
    started.add(() -> credentials.values().forEach(IamEnforcement::unregister));

    SamApplication app = SamApplication.from(template.tree());
    Map<String, Object> handlers = new LinkedHashMap<>();
    Map<String, Map<String, String>> variables = new LinkedHashMap<>();
    List<ApiGatewayHost.Route> routes = new ArrayList<>();
    List<ScheduleTicker.Schedule> schedules = new ArrayList<>();
    for (SamApplication.FunctionSpec fn : app.functions()) {
      Map<String, String> env =
          new HashMap<>(clientEnvironment(aws, credentials.get(fn.logicalId())));
      fn.environment().forEach((name, value) -> env.put(name, intrinsics.resolve(value)));
      // The local notification receivers listen on 127.0.0.1 over http (docs/security.md).
      env.put("NOTIFICATION_ALLOW_LOOPBACK", "true");
      if (sockets != null) {
        env.put(
            "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI", sockets.managementEndpoint().toString());
      }
      Environment environment = Environment.of(env);
      Object handler =
          options.handlerOverrides().containsKey(fn.logicalId())
              ? options.handlerOverrides().get(fn.logicalId()).apply(environment)
              : Class.forName(fn.handlerClass())
                  .getConstructor(Environment.class)
                  .newInstance(environment);
      handlers.put(fn.logicalId(), handler);
      variables.put(fn.logicalId(), Map.copyOf(env));
      for (SamApplication.ScheduleEvent s : fn.schedules()) {
        schedules.add(
            new ScheduleTicker.Schedule(
                fn.logicalId(),
                s.name(),
                ScheduleTicker.parseRate(s.expression()),
                fn.timeout(),
                (RequestHandler<ScheduledEvent, ?>) handler));
      }
    }
    if (sockets != null) {
      WebSocketApis.route(template.tree(), sockets, handlers);
    }
    // API Gateway's auth as template.yaml configures it: authorizers, their caching, usage-plan
    // keys.
    Map<String, ApiGatewayAuth.Authorizer> authorizers = new HashMap<>();
    for (var a : app.apiAuth().authorizers().values()) {
      var fn = app.function(a.functionLogicalId()).orElseThrow();
      authorizers.put(
          a.name(),
          new ApiGatewayAuth.Authorizer(
              a.name(),
              a.identityHeaders(),
              a.identityQueryStrings(),
              Duration.ofSeconds(a.ttlSeconds()),
              fn.logicalId(),
              fn.timeout(),
              (RequestHandler<APIGatewayCustomAuthorizerEvent, ?>) handlers.get(fn.logicalId())));
    }
    for (SamApplication.FunctionSpec fn : app.functions()) {
      for (SamApplication.ApiEvent e : fn.apiEvents()) {
        if (e.authorizer() != null && !authorizers.containsKey(e.authorizer())) {
          throw new IllegalArgumentException(
              fn.logicalId() + " " + e.path() + ": no authorizer " + e.authorizer());
        }
        routes.add(
            new ApiGatewayHost.Route(
                e.method(),
                e.path(),
                fn.logicalId(),
                fn.timeout(),
                (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>)
                    handlers.get(fn.logicalId()),
                e.authorizer() == null ? null : authorizers.get(e.authorizer()),
                e.apiKeyRequired()));
      }
    }
    ApiGatewayHost api =
        ApiGatewayHost.start(
            options.apiPort(),
            app.stageName(),
            routes,
            new ApiGatewayAuth(app.apiAuth().apiKeySourceType(), aws.apiGateway()::planOf),
            GatewayResponses.from(app.gatewayResponses()));
    started.add(api);
    List<SqsEventSource> sources = new ArrayList<>();
    started.add(() -> sources.forEach(SqsEventSource::close));
    List<SqsClient> pollerClients = new ArrayList<>();
    for (SamApplication.FunctionSpec fn : app.functions()) {
      for (SamApplication.SqsEvent e : fn.sqsEvents()) {
        // Lambda checks the execution role when the mapping is created, and polls with it.
        LocalRoles.checkEventSourceMapping(
            fn.logicalId(),
            roles.get(fn.logicalId()),
            aws.resources().queueArn(e.queueLogicalId()));
        SqsClient poller = LocalRoles.sqsClient(aws, credentials.get(fn.logicalId()));
        pollerClients.add(poller);
        started.add(poller);
        var mapping =
            new SqsEventSource.Mapping(
                fn.logicalId(),
                aws.resources().queueUrl(e.queueLogicalId()),
                aws.resources().queueArn(e.queueLogicalId()),
                e.batchSize(),
                options.visibilityTimeout(),
                e.reportBatchItemFailures(),
                options.pollersPerQueue(),
                fn.timeout());
        sources.add(
            new SqsEventSource(
                    poller,
                    mapping,
                    (RequestHandler<SQSEvent, SQSBatchResponse>) handlers.get(fn.logicalId()))
                .start());
      }
    }
    ScheduleTicker ticker = new ScheduleTicker(schedules).start(options.scheduleSpeedUp());
    xero.webhookUrl(URI.create(api.baseUrl() + "/webhooks/xero"));
    // As on the Xero app's configuration page: the one redirect URI (stack output XeroRedirectUri).
    xero.redirectUri(CLIENT_ID, URI.create(api.baseUrl() + "/connect/callback"));
    LocalStack stack =
        new LocalStack(
            aws,
            xero,
            api,
            sockets,
            sources,
            ticker,
            handlers,
            variables,
            adminApiKey,
            notificationSigningKey,
            List.copyOf(credentials.values()),
            pollerClients);
    stack.simControl = simControl;
    return stack;
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
            Instant.now()));
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

  public Environment environment(String logicalId) {
    return Environment.of(variables.get(logicalId));
  }

  /** The variables a function's environment holds here, e.g. to start it as its own process. */
  public Map<String, String> environmentVariables(String logicalId) {
    return variables.get(logicalId);
  }

  public List<SqsEventSource> eventSources() {
    return eventSources;
  }

  /**
   * What the AWS runtime would give a function: region, credentials, and here the local endpoints.
   */
  /** The template's WebSocket API (the panels' change notices), as the local host serves it. */
  public WebSocketApiHost webSocketApi() {
    if (sockets == null) {
      throw new IllegalStateException("template.yaml declares no WebSocket API");
    }
    return sockets;
  }

  static Map<String, String> clientEnvironment(
      LocalAws aws, IamEnforcement.Credentials credentials) {
    return Map.of(
        "AWS_REGION", LocalAws.region().id(),
        "AWS_ACCESS_KEY_ID", credentials.accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey(),
        "AWS_ENDPOINT_URL_DYNAMODB", aws.dynamoDbEndpoint().toString(),
        "AWS_ENDPOINT_URL_SQS", aws.sqsEndpoint().toString(),
        "AWS_ENDPOINT_URL_SECRETS_MANAGER", aws.secretsManagerEndpoint().toString(),
        "AWS_ENDPOINT_URL_API_GATEWAY", aws.apiGateway().endpoint().toString());
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
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
