package dev.xerosync.infra.demo;

import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.control.ControlApi;
import java.io.PrintStream;

/**
 * What {@code ./dev up} prints so a person can drive the simulated Xero: the control API's token,
 * and the read-only token a separate reader app uses to look at Xero's state without spending the
 * tenant's calls. Both are new each run and go to the terminal only, never to the log file.
 */
final class SimulatorTokens {
  private SimulatorTokens() {}

  static void print(PrintStream out, LocalStack stack, String tenantId) {
    ControlApi control = stack.simulatorControl();
    String sim = stack.xero().baseUrl().toString();
    out.println("\nThe simulated Xero (docs/simulator.md, \"Control API\"):");
    out.println(
        "  export XERO_SIM_CONTROL="
            + control.controlToken()
            + "   # faults, merges, currencies, lock dates, credit notes, invoices, the clock");
    out.println(
        "  export XERO_SIM_READER="
            + control.readerToken()
            + "    # read-only: Xero's GET routes, outside the tenant's rate limit");
    out.println(
        "  curl -s -H \"Authorization: Bearer $XERO_SIM_CONTROL\" "
            + sim
            + "/_sim/tenants/"
            + tenantId
            + "/counters");
    out.println(
        "  curl -s -H \"Authorization: Bearer $XERO_SIM_READER\" -H 'xero-tenant-id: "
            + tenantId
            + "' "
            + sim
            + "/api.xro/2.0/Invoices");
  }
}
