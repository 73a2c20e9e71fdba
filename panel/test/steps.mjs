// Shared by the browser tests: named steps that report "ok" or "not ok" and carry on, the check that
// fails a step, polling until the page shows what a step waits for, and the run's exit.
let failures = 0;

export async function step(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split("\n").slice(0, 4).join("\n  ")}`);
  }
}

export function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Polls `check` (true, or what it saw instead) every 50 ms for up to `ms`: components render after their own fetches. */
export async function until(check, what, ms = 8000) {
  const deadline = Date.now() + ms;
  let seen;
  while (Date.now() < deadline) {
    seen = await check();
    if (seen === true) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: ${seen}`);
}

/** Exits non-zero when a step failed. */
export function finish(passed, failed) {
  console.log(failures ? `${failures} ${failed}` : passed);
  process.exit(failures ? 1 : 0);
}
