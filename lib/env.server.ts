// The one place the environment is read. Every variable has a default that
// works on a fresh machine: SQLite and the local Stripe server.
import "server-only";
// The secret the local Stripe server signs its webhook events with, and the
// app's STRIPE_WEBHOOK_SECRET in local mode. Public (it is in the package), so
// it can vouch for nothing outside local mode: with a STRIPE_SECRET_KEY the app
// requires a secret of its own (below).
import { LOCAL_WEBHOOK_SECRET } from "@payonce/stripe-local/webhook-secret";
import { z } from "zod";
import { databaseConfig } from "./db/database-url";
import { CRASH_POINTS } from "./orders/crash-points";

/** Every setting; .env.example lists each with its default (tests/env-example.test.ts). */
export const envSchema = z.object({
  DATABASE_URL: z.string().optional(),
  // PostgreSQL: connections per app process, and how long a request waits for
  // one when all are busy before it is answered 503.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  // SQLite: how long a writer waits for another process's write transaction.
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  // Unset: the app talks to the local Stripe server (@payonce/stripe-local) through the same SDK.
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^sk_(test|live)_\w+$/, "must look like sk_test_… or sk_live_…")
    .optional(),
  // Required with STRIPE_SECRET_KEY. Unset in local mode: the local Stripe
  // server signs with the same well-known default.
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(),
  // Signs session cookies. Required with STRIPE_SECRET_KEY; local mode has a default.
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // Where people reach the shop: the start of links in e-mails (sign-in links),
  // and where Stripe sends a customer back after 3-D Secure (in local mode, also
  // localhost, 127.0.0.1 and [::1] on PORT: lib/payments/return-url.server.ts).
  PUBLIC_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // The merchant admin (/admin): open in local mode; elsewhere behind HTTP
  // Basic auth with this as the password, and closed while it is unset.
  ADMIN_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  LOCAL_STRIPE_HOST: z.string().default("127.0.0.1"),
  LOCAL_STRIPE_PORT: z.coerce.number().int().min(1).max(65535).default(12111),
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().positive().default(24),
  IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().positive().default(30),
  // Demo switches (protections off, faults) are only ever offered against the
  // local Stripe server; this turns them off there too.
  DISABLE_DEMO_TOOLS: z.stringbool().default(false),
  // Fault switch for crash tests (demo tools only): the process kills itself
  // right after this checkout point, as `kill -9` would.
  PAYONCE_CRASH_AFTER: z.enum(CRASH_POINTS).optional(),
  // Set by scripts/dev-server.ts (`npm run dev`): a crash takes the whole
  // `next dev` process group down, and that script starts it again.
  PAYONCE_DEV_SUPERVISED: z.stringbool().default(false),
  COMPLETER_INTERVAL_SECONDS: z.coerce.number().positive().default(10),
  // How long an unpaid order (declined, abandoned, never confirmed) holds its units.
  STOCK_HOLD_MINUTES: z.coerce.number().positive().default(15),
  JOB_LEASE_SECONDS: z.coerce.number().positive().default(30),
  JOB_POLL_MS: z.coerce.number().int().positive().default(500),
  JOB_BACKOFF_SECONDS: z.coerce.number().positive().default(2),
  // What the worker's reapers keep: webhook events (their rows deduplicate
  // redeliveries; Stripe redelivers for up to three days) and jobs done.
  // At least 3: Stripe redelivers an event for up to three days, and a redelivery whose row was reaped would be applied again.
  WEBHOOK_EVENT_RETENTION_DAYS: z.coerce.number().min(3, "must be at least 3: Stripe redelivers an event for up to three days").default(7),
  JOB_RETENTION_DAYS: z.coerce.number().positive().default(7),
  // Fault switch for crash tests (demo tools only): the worker kills itself
  // right after finishing this job step.
  PAYONCE_JOB_CRASH_AFTER_STEP: z.string().optional(),
  // Who a client is, for the limits below: 0 = the TCP peer's address (any
  // X-Forwarded-For a client sends is ignored); N = the Nth address from the
  // right of X-Forwarded-For, for N trusted proxies in front that append to it.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // New API sessions (POST /api/sessions) per client address per hour; more is a 429.
  API_SESSIONS_PER_HOUR: z.coerce.number().int().positive().default(10),
  // New browser sessions (a visitor's first form or action) per client address
  // per hour; past it pages still show, and the first write says to wait.
  BROWSER_SESSIONS_PER_HOUR: z.coerce.number().int().positive().default(300),
  // A session (API token, browser cookie) ends this long after it began; the
  // worker then deletes it unless it has orders or attempts to keep.
  SESSION_LIFETIME_DAYS: z.coerce.number().positive().default(30),
  // Units one session, and one client address, may hold in unpaid orders at once.
  HOLD_UNITS_PER_SESSION: z.coerce.number().int().positive().default(10),
  HOLD_UNITS_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  // Sign-in links e-mailed to one address per window, whoever asks; past it the
  // person is told the same, and nothing is sent.
  SIGN_IN_LINKS_PER_WINDOW: z.coerce.number().int().positive().default(3),
  // Sign-in links one client address may ask for per window, to any e-mail
  // addresses; past it the form says to wait, and nothing is sent.
  SIGN_IN_LINKS_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  // Confirmation e-mails go out by SMTP only when this is set (smtp://user:pass@host:port).
  SMTP_URL: z.url().optional(),
  SMTP_FROM: z.string().default("PayOnce <orders@payonce.local>"),
});

/** The settings from `source` (process.env), or an error that says what to fix. */
export function loadEnv(source: Record<string, string | undefined> = process.env) {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  }
  const raw = parsed.data;
  const stripeMode = raw.STRIPE_SECRET_KEY ? ("stripe" as const) : ("local" as const);
  // The local defaults are public: with them, anyone could sign events for a
  // real account, or mint sessions of their choosing.
  const missing = [
    !raw.STRIPE_WEBHOOK_SECRET && "STRIPE_WEBHOOK_SECRET: use the whsec_… of your webhook endpoint (or the one `stripe listen` prints)",
    !raw.SESSION_SECRET && "SESSION_SECRET: at least 32 random characters, e.g. from `openssl rand -base64 32`",
  ].filter(Boolean);
  if (stripeMode === "stripe" && missing.length > 0) {
    throw new Error(`Invalid environment: required when STRIPE_SECRET_KEY is set:\n${missing.map((m) => `✖ ${m}`).join("\n")}`);
  }
  return {
    database: {
      ...databaseConfig(raw.DATABASE_URL),
      busyTimeoutMs: raw.SQLITE_BUSY_TIMEOUT_MS,
      pool: { size: raw.DATABASE_POOL_SIZE, timeoutMs: raw.DATABASE_POOL_TIMEOUT_MS },
    },
    stripe: {
      mode: stripeMode,
      // Local mode: a fixed test key; the local server treats each key as an account.
      secretKey: raw.STRIPE_SECRET_KEY ?? "sk_test_payonce_local",
      webhookSecret: raw.STRIPE_WEBHOOK_SECRET ?? LOCAL_WEBHOOK_SECRET,
      local: { host: raw.LOCAL_STRIPE_HOST, port: raw.LOCAL_STRIPE_PORT },
    },
    idempotency: {
      ttlMs: raw.IDEMPOTENCY_TTL_HOURS * 3600_000,
      leaseMs: raw.IDEMPOTENCY_LEASE_SECONDS * 1000,
    },
    sessionSecret: raw.SESSION_SECRET ?? "payonce-local-session-secret-for-local-mode-only",
    demoTools: stripeMode === "local" && !raw.DISABLE_DEMO_TOOLS,
    adminSecret: raw.ADMIN_SECRET ?? null,
    publicUrl: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ""),
    port: raw.PORT,
    crashAfter: stripeMode === "local" && !raw.DISABLE_DEMO_TOOLS ? raw.PAYONCE_CRASH_AFTER : undefined,
    devSupervised: raw.PAYONCE_DEV_SUPERVISED,
    completerIntervalMs: raw.COMPLETER_INTERVAL_SECONDS * 1000,
    stockHoldMs: raw.STOCK_HOLD_MINUTES * 60_000,
    jobs: {
      leaseMs: raw.JOB_LEASE_SECONDS * 1000,
      pollMs: raw.JOB_POLL_MS,
      backoffMs: raw.JOB_BACKOFF_SECONDS * 1000,
      crashAfterStep: stripeMode === "local" && !raw.DISABLE_DEMO_TOOLS ? raw.PAYONCE_JOB_CRASH_AFTER_STEP : undefined,
    },
    retention: { webhookEventDays: raw.WEBHOOK_EVENT_RETENTION_DAYS, jobDays: raw.JOB_RETENTION_DAYS },
    trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
    limits: {
      apiSessionsPerHour: raw.API_SESSIONS_PER_HOUR,
      browserSessionsPerHour: raw.BROWSER_SESSIONS_PER_HOUR,
      sessionLifetimeMs: raw.SESSION_LIFETIME_DAYS * 86_400_000,
      holdUnitsPerSession: raw.HOLD_UNITS_PER_SESSION,
      holdUnitsPerAddress: raw.HOLD_UNITS_PER_ADDRESS,
      signInLinksPerWindow: raw.SIGN_IN_LINKS_PER_WINDOW,
      signInLinksPerAddress: raw.SIGN_IN_LINKS_PER_ADDRESS,
      signInWindowMs: raw.SIGN_IN_WINDOW_MINUTES * 60_000,
    },
    smtp: raw.SMTP_URL ? { url: raw.SMTP_URL, from: raw.SMTP_FROM } : null,
  };
}

type Env = ReturnType<typeof loadEnv>;

let cached: Env | undefined;
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
