package dev.xerosync.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * One AWS call signed with SigV4 as the SDK's clients sign it, for the few API Gateway calls made
 * without the SDK's module for them ({@link ApiGatewayManagement}, {@link ApiGatewayConnections}):
 * the request, its status, API Gateway's error type and the body, nothing interpreted.
 */
final class AwsSignedCalls {
  /** An answer: its status, {@code x-amzn-ErrorType} without its suffix (or "Unknown"), body. */
  record Answer(int status, String errorType, byte[] body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  private final SdkHttpClient http;
  private final String service;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /** {@code service}: the signing name ({@code apigateway}, {@code execute-api}). */
  AwsSignedCalls(
      SdkHttpClient http, String service, String region, AwsCredentialsProvider credentials) {
    this.http = http;
    this.service = service;
    this.region = region;
    this.credentials = credentials;
  }

  /** Sends the request ({@code body} JSON, or none); an I/O failure is thrown unchecked. */
  Answer call(SdkHttpMethod method, URI uri, byte @Nullable [] body) {
    byte[] payload = body == null ? new byte[0] : body;
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder().method(method).uri(uri).putHeader("Accept", "application/json");
    if (body != null) {
      request
          .putHeader("Content-Type", "application/json")
          .putHeader("Content-Length", Integer.toString(payload.length));
    }
    var signed =
        signer.sign(
            r ->
                r.identity(credentials.resolveCredentials())
                    .request(request.build())
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(
                          body == null ? null : ContentStreamProvider.fromByteArray(payload))
                      .build())
              .call();
      byte[] raw;
      try (InputStream in = response.responseBody().orElse(null)) {
        raw = in == null ? new byte[0] : in.readAllBytes();
      }
      String type =
          response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("Unknown");
      return new Answer(response.httpResponse().statusCode(), type.split(":")[0], raw);
    } catch (IOException e) {
      throw new UncheckedIOException(service + " " + method + " " + uri.getPath(), e);
    }
  }
}
