package dev.xerosync.writeback;

import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole stack for one write-back test class, booted once: a visibility timeout of 10 s so a
 * retried write comes back within a test's wait, and the simulator's faults cleared after each
 * test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WriteBackStage {
  LocalStack stack;
  WriteBackApi api;

  @BeforeAll
  void startStack() throws Exception {
    stack =
        LocalStack.start(
            LocalStack.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(10)));
    api = new WriteBackApi(stack);
  }

  @AfterAll
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @AfterEach
  void noFaults() {
    stack.xero().faults().clear();
  }

  /** A new organisation in the simulator, connected through the stack's OAuth flow. */
  SimOrganisation connected(String name) {
    SimOrganisation org = stack.xero().createOrganisation(name);
    stack.connect(org);
    return org;
  }
}
