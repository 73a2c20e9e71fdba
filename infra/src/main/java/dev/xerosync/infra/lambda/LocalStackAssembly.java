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
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.infra.xero.control.ControlApi;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Assembles a {@link LocalStack} from template.yaml: the Xero simulator, the template's parameters
 * pointed at the local stand-ins, its tables, queues, usage plans, API keys and secrets, each
 * function's role and environment, and the hosts that invoke the handlers (API Gateway, WebSocket
 * API, SQS event sources, schedules).
 */
final class LocalStackAssembly {
  private LocalStackAssembly() {}

  /**
   * Starts everything after {@code aws}; each server or registration goes into {@code started} as
   * it starts, for {@link LocalStack#start} to close when a later step fails.
   */
  @SuppressWarnings("unchecked")
  static LocalStack assemble(
      LocalStack.Options options,
      CloudFormationTemplate template,
      LocalAws aws,
      List<AutoCloseable> started)
      throws Exception {
    String clientSecret = randomHex(24);
    String webhookKey = randomHex(32);
    XeroSimulator xero =
        XeroSimulator.builder()
            .port(options.simulatorPort())
            .app(LocalStack.CLIENT_ID, clientSecret)
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
            LocalStack.CLIENT_ID,
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
      // One clock for the whole local stack, the simulator's: moving it (POST /_sim/clock, or
      // stack.xero().clock()) moves Xero's time and every function's together, as real time would.
      Environment environment = Environment.of(env).withClock(xero.clock());
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
                    (RequestHandler<SQSEvent, SQSBatchResponse>) handlers.get(fn.logicalId()),
                    xero.clock())
                .start());
      }
    }
    ScheduleTicker ticker = new ScheduleTicker(schedules).start(options.scheduleSpeedUp());
    xero.webhookUrl(URI.create(api.baseUrl() + "/webhooks/xero"));
    // As on the Xero app's configuration page: the one redirect URI (stack output XeroRedirectUri).
    xero.redirectUri(LocalStack.CLIENT_ID, URI.create(api.baseUrl() + "/connect/callback"));
    return new LocalStack(
        aws,
        xero,
        simControl,
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
  }

  /**
   * What the AWS runtime would give a function: region, credentials, and here the local endpoints.
   */
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
}
