package dev.xerosync.bench;

import java.net.URI;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One JVM, one SQS client, one call: how long the HTTP client the SDK is built with adds to a cold
 * start. Usage: HttpClientProbe urlconnection|apache5. Prints wall-clock milliseconds like
 * ColdStartChild.
 */
public final class HttpClientProbe {
  public static void main(String[] args) {
    long start = System.currentTimeMillis();
    SdkHttpClient.Builder<?> http =
        switch (args[0]) {
          case "urlconnection" ->
              software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder();
          case "apache5" -> software.amazon.awssdk.http.apache5.Apache5HttpClient.builder();
          default -> throw new IllegalArgumentException(args[0]);
        };
    try (SqsClient sqs =
        SqsClient.builder()
            .httpClientBuilder(http)
            .region(Region.of(System.getenv("AWS_REGION")))
            .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL_SQS")))
            .build()) {
      long constructed = System.currentTimeMillis();
      long constructedCpu = ColdStartChild.cpuMs();
      int queues = sqs.listQueues().queueUrls().size();
      long handled = System.currentTimeMillis();
      long handledCpu = ColdStartChild.cpuMs();
      System.out.println(
          "BENCH main="
              + start
              + " constructed="
              + constructed
              + " restored="
              + constructed
              + " handled="
              + handled
              + " cpu="
              + constructedCpu
              + ","
              + constructedCpu
              + ","
              + handledCpu
              + " result="
              + queues
              + " queues");
    }
  }
}
