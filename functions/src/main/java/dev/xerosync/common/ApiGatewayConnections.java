package dev.xerosync.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * PostToConnection of API Gateway's WebSocket management API ({@code POST
 * {endpoint}/@connections/{connectionId}}, the message as the raw body), signed with SigV4 for
 * {@code execute-api} as the SDK's ApiGatewayManagementApiClient signs it. That SDK module is not
 * on Maven Central here, and one call does not need it (nor its classes at cold start).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
 */
public final class ApiGatewayConnections {
  /** What a post came to. */
  public enum Sent {
    DELIVERED,
    /** 410 GoneException: the client disconnected; forget the connection. */
    GONE
  }

  private final SdkHttpClient http;
  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /** {@code endpoint}: {@code https://{api-id}.execute-api.{region}.amazonaws.com/{stage}}. */
  public ApiGatewayConnections(
      SdkHttpClient http, URI endpoint, String region, AwsCredentialsProvider credentials) {
    this.http = http;
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
  }

  /** Sends {@code message} to one connection; any answer but 2xx or 410 is thrown. */
  public Sent post(String connectionId, String message) {
    byte[] payload = message.getBytes(StandardCharsets.UTF_8);
    URI uri =
        URI.create(
            endpoint
                + "/@connections/"
                + URLEncoder.encode(connectionId, StandardCharsets.UTF_8).replace("+", "%20"));
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(uri)
            .putHeader("Content-Type", "application/json")
            .putHeader("Content-Length", Integer.toString(payload.length))
            .build();
    var signed =
        signer.sign(
            r ->
                r.identity(credentials.resolveCredentials())
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(ContentStreamProvider.fromByteArray(payload))
                      .build())
              .call();
      byte[] raw;
      try (InputStream in = response.responseBody().orElse(null)) {
        raw = in == null ? new byte[0] : in.readAllBytes();
      }
      int status = response.httpResponse().statusCode();
      if (status == 410) {
        return Sent.GONE;
      }
      if (status / 100 != 2) {
        String type =
            response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("Unknown");
        throw new IllegalStateException(
            "PostToConnection: "
                + type.split(":")[0]
                + " ("
                + status
                + "): "
                + new String(raw, StandardCharsets.UTF_8));
      }
      return Sent.DELIVERED;
    } catch (IOException e) {
      throw new UncheckedIOException("PostToConnection", e);
    }
  }
}
