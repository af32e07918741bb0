// What a server is started with (start() takes them, the command line makes
// them from its flags), and their defaults. Nothing here reads the
// environment: a caller that wants settings from it maps them itself.
import { isLocalSigningSecret, LOCAL_WEBHOOK_SECRET, SIGNING_SECRET_RULE } from "./webhook-secret.ts";

export type StartOptions = {
  /** 12111 by default; 0 takes a free port (start() answers which). */
  port?: number;
  /** 127.0.0.1 by default: the control API switches faults and webhooks for anyone who reaches it. */
  host?: string;
  /** Where every event is POSTed, signed with `webhookSecret`; none by default (the control API can add some). */
  webhookUrl?: string;
  /** "memory" (the default: gone when it stops) or "file:<path>", a SQLite file kept across restarts. */
  state?: string;
  /** Added before every API answer (the control API changes it; a reset puts this back). */
  latencyMs?: number;
  /** What `webhookUrl` is signed with: the public LOCAL_WEBHOOK_SECRET (default) or a test's whsec_payonce_test_…. */
  webhookSecret?: string;
  /** The first wait between webhook tries, doubled each time (500 ms). */
  webhookBackoffMs?: number;
  /** A request not all in within this is answered 408 (30 s). */
  requestTimeoutMs?: number;
  /** false: the control API answers reads only (no faults, endpoints or reset). */
  controlWrites?: boolean;
  /** Where request and webhook lines go (console.log); control requests are not logged unless `logControl`. */
  log?: (line: string) => void;
  logControl?: boolean;
};

export type Settings = Required<Omit<StartOptions, "webhookUrl" | "state">> & { webhookUrl: string | null; stateFile: string };

export const DEFAULT_PORT = 12111;

/** Thrown for options that cannot be: the message says what to change. */
export class OptionsError extends Error {}

/** Thrown for a webhook secret this server may not hold (webhook-secret.ts). */
export class RefusedSecretError extends Error {}

/** `state` as the store takes it: ":memory:" or a file path. */
function stateFile(state: string): string {
  if (state === "memory") return ":memory:";
  if (state.startsWith("file:") && state.length > "file:".length) return state.slice("file:".length);
  throw new OptionsError(`--state takes "memory" or "file:<path>", not "${state}"`);
}

function whole(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new OptionsError(`${name} takes a whole number from 0 to ${max}, not ${value}`);
  return value;
}

export function settingsFrom(options: StartOptions): Settings {
  const webhookSecret = options.webhookSecret ?? LOCAL_WEBHOOK_SECRET;
  if (!isLocalSigningSecret(webhookSecret)) {
    throw new RefusedSecretError(
      `not started: the webhook secret given is not one this server may hold (${SIGNING_SECRET_RULE}). It signs its events with whatever it is given, for anyone who can reach it: with a real endpoint's secret, anyone could make events your app takes for Stripe's. Give none, or ${LOCAL_WEBHOOK_SECRET}, and let your app trust that in local mode.`,
    );
  }
  if (options.webhookUrl !== undefined && !URL.canParse(options.webhookUrl)) throw new OptionsError(`--webhook-url is not a URL: "${options.webhookUrl}"`);
  return {
    port: whole("--port", options.port ?? DEFAULT_PORT, 65535),
    host: options.host ?? "127.0.0.1",
    webhookUrl: options.webhookUrl ?? null,
    stateFile: stateFile(options.state ?? "memory"),
    latencyMs: whole("--latency-ms", options.latencyMs ?? 0, 60_000),
    webhookSecret,
    webhookBackoffMs: whole("--webhook-backoff-ms", options.webhookBackoffMs ?? 500, 3_600_000),
    requestTimeoutMs: whole("--request-timeout-ms", options.requestTimeoutMs ?? 30_000, 3_600_000),
    controlWrites: options.controlWrites ?? true,
    log: options.log ?? ((line) => console.log(line)),
    logControl: options.logControl ?? false,
  };
}
