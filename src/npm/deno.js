// Deno: the .wasm is read from beside this file (needs --allow-read for the package's folder).
import { initSync } from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

/**
 * One message of a Deno.Kv outbox, when the replay is given the Deno.Kv (`outbox`): a message
 * delivered is marked for a week (an atomic write where none is), and a message already marked
 * is skipped, so a redelivery is not sent again (two copies delivered at the same moment may both
 * be). What must be delivered again fails with a one-line error: Deno prints what a handler throws.
 */
async function kept(once, message, kv) {
  const key = ["honeyhive-outbox-delivered", message?.id];
  const marks = kv?.atomic && message?.id;
  if (marks && (await kv.get(key)).value) return {};
  const outcome = await once(message, 0, true);
  if (marks && outcome.delivered) await kv.atomic().check({ key, versionstamp: null }).set(key, 1, { expireIn: 6048e5 }).commit();
  if (outcome.again) outcome.error.stack = outcome.error.message;
  return outcome;
}

export const { start, log, update, logBatch, trace, aiSdkIntegration, replay, HoneyHive } = bind(
  async () => initSync({ module: await Deno.readFile(new URL("./honeyhive_logger_wasm_bg.wasm", import.meta.url)) }),
  kept,
);
export { HoneyHiveError } from "./errors.js";
