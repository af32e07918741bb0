// Stripe, behind one module. With STRIPE_SECRET_KEY it is real Stripe (test
// mode); without, the same SDK talks to the local Stripe server
// (@payonce/stripe-local). Layer 4 lives here:
// every mutation carries an idempotency key derived from our own records.
import "server-only";
import Stripe from "stripe";
import { env } from "../env.server";
import type { Policy } from "../policy";
import { STRIPE_API_VERSION } from "./stripe-api-version";
import { tracedHttpClient } from "./traced-stripe-client.server";

let client: Stripe | undefined;

/** How the client is made (exported for tests/stripe-client.test.ts): which server, which API version, how patient. */
export function stripeClientOptions(config: Pick<ReturnType<typeof env>["stripe"], "mode" | "local"> = env().stripe): Stripe.StripeConfig {
  const local = config.mode === "local" ? { host: config.local.host, port: config.local.port, protocol: "http" as const } : {};
  return {
    ...local,
    apiVersion: STRIPE_API_VERSION,
    // The SDK retries connection errors, 409s and 5xx itself, reusing our key.
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
  };
}

export function stripe(): Stripe {
  // Each request a span (with tracing on): lib/payments/traced-stripe-client.server.ts.
  client ??= new Stripe(env().stripe.secretKey, { ...stripeClientOptions(), httpClient: tracedHttpClient() });
  return client;
}

/**
 * Derived keys: stable across our retries, unique to one order or attempt.
 * The keys that create things (a PaymentIntent, a refund) have a generation,
 * moved on only after a stored 500 (see makeOnce).
 */
const stripeIdempotencyKeys = {
  createPaymentIntent: (orderId: string, generation = 0) => `payonce-order-${orderId}-create-payment-intent${generation > 0 ? `-g${generation}` : ""}`,
  confirmPaymentIntent: (attemptId: string) => `payonce-attempt-${attemptId}-confirm`,
  refundInFull: (orderId: string, generation = 0) => `payonce-order-${orderId}-refund-in-full${generation > 0 ? `-g${generation}` : ""}`,
  refund: (refundId: string, generation = 0) => `payonce-refund-${refundId}${generation > 0 ? `-g${generation}` : ""}`,
  cancelPaymentIntent: (orderId: string, paymentIntentId: string) => `payonce-order-${orderId}-cancel-${paymentIntentId}`,
};

export type PaymentOutcome =
  | { kind: "succeeded"; paymentIntentId: string }
  | { kind: "declined"; paymentIntentId: string; code: string; message: string }
  /** The bank asks the customer to authenticate (3-D Secure) at `redirectUrl` first. */
  | { kind: "requires_action"; paymentIntentId: string; redirectUrl: string }
  | { kind: "pending"; paymentIntentId: string; status: string };

/** A new charge also says which key generation created its PaymentIntent. */
export type ChargeOutcome = PaymentOutcome & { keyGeneration: number };

/** Stripe did not give a final answer (down, timed out, busy): safe to retry. */
export class PaymentUnavailableError extends Error {
  constructor(
    message: string,
    readonly httpStatus: 502 | 503,
  ) {
    super(message);
  }
}

export type ChargeRequest = {
  orderId: string;
  orderCreatedAt: Date;
  attemptId: string;
  existingPaymentIntentId: string | null;
  /** The order's key generations for creating its PaymentIntent. */
  keyGenerations: KeyGenerations;
  amountCents: number;
  currency: string;
  paymentMethod: string;
  email: string;
  /** Where the customer comes back after authenticating (3-D Secure). */
  returnUrl: string;
  /** Layer 4 (derivesStripeKeys): without it the SDK mints a key per call. */
  policy: Pick<Policy, "derivesStripeKeys">;
};

/**
 * Where a derived key's generation is kept (a column of the record the key
 * derives from): `current` is tried first, and `moveOn` records the next one
 * once Stripe has shown that the current one made nothing. Recorded, so that
 * a later run starts at a key Stripe holds no stored 500 for. Only forwards
 * (a conditional update) and true whoever writes it: it needs no lease.
 */
export type KeyGenerations = { current: number; moveOn(next: number): Promise<unknown> };

/** How many key generations one run may try while Stripe keeps answering 500. */
const MAX_GENERATIONS_PER_RUN = 3;

/**
 * Makes one thing at Stripe under the derived key of its current generation.
 * A 500 is indeterminate (the work may or may not have happened) and Stripe
 * stores it: every retry under that key replays the same 500 for 24 hours.
 * So, after a 5xx, `made` looks for what the request may have made anyway (a
 * list: consistent, unlike search) and adopts it; only if there is none does
 * the key move on to its next generation (decision 0004). Without `made` (no
 * derived key: a policy with layer 4 off) a 5xx is an error like any other.
 */
async function makeOnce<T>(keys: KeyGenerations, make: (generation: number) => Promise<T>, made: (() => Promise<T | null>) | null) {
  let generation = keys.current;
  for (let tried = 0; tried < MAX_GENERATIONS_PER_RUN; tried++) {
    try {
      return { made: await make(generation), generation };
    } catch (error) {
      if (!isServerError(error) || !made) throw error;
      const found = await made();
      if (found !== null) return { made: found, generation };
      await keys.moveOn(++generation);
    }
  }
  throw new PaymentUnavailableError("payment service error: 500 on every key generation tried", 502);
}

/**
 * Charges an order: creates and confirms its PaymentIntent, or confirms the
 * existing one again with a new card after a decline. One waiting for
 * authentication is left as it is (the customer is sent back to its page);
 * one canceled (authentication abandoned past the hold window) is replaced
 * under the next key generation.
 */
export async function chargeOrder(request: ChargeRequest): Promise<ChargeOutcome> {
  const keys = request.keyGenerations;
  let generation = keys.current;
  try {
    const existing = request.existingPaymentIntentId ? await stripe().paymentIntents.retrieve(request.existingPaymentIntentId) : null;
    let intent: Stripe.PaymentIntent;
    if (existing && existing.status !== "canceled") intent = existing;
    else ({ made: intent, generation } = await createOrAdopt(request, existing ? { ...keys, current: generation + 1 } : keys));
    // To confirm: an existing one declined before (a new card now), or one
    // adopted after a 500 before its confirmation ran.
    const confirmable = intent === existing ? ["requires_payment_method", "requires_confirmation"] : ["requires_confirmation"];
    if (confirmable.includes(intent.status)) {
      intent = await stripe().paymentIntents.confirm(
        intent.id,
        { payment_method: request.paymentMethod, return_url: request.returnUrl },
        keyOption(request.policy, stripeIdempotencyKeys.confirmPaymentIntent(request.attemptId)),
      );
    }
    return { ...outcomeOf(intent), keyGeneration: generation };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError && error.payment_intent) {
      return {
        kind: "declined",
        paymentIntentId: error.payment_intent.id,
        code: error.decline_code ?? error.code ?? "card_declined",
        message: stripeMessage(error),
        keyGeneration: generation,
      };
    }
    throw asUnavailable(error);
  }
}

/** Creates the order's PaymentIntent, or adopts the one a stored 500 hid (it carries the order's id). */
function createOrAdopt(request: ChargeRequest, keys: KeyGenerations) {
  return makeOnce(
    keys,
    (generation) =>
      stripe().paymentIntents.create(
        {
          amount: request.amountCents,
          currency: request.currency,
          payment_method: request.paymentMethod,
          // A card whose bank asks for 3-D Secure sends the customer to authenticate, then back to return_url.
          automatic_payment_methods: { enabled: true },
          confirm: true,
          return_url: request.returnUrl,
          receipt_email: request.email,
          metadata: { order_id: request.orderId },
        },
        keyOption(request.policy, stripeIdempotencyKeys.createPaymentIntent(request.orderId, generation)),
      ),
    request.policy.derivesStripeKeys ? () => findOrderPaymentIntent(request.orderId, request.orderCreatedAt) : null,
  );
}

const isServerError = (error: unknown) => error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500;

/** The PaymentIntent Stripe holds for this order, if any, newest first. */
async function findOrderPaymentIntent(orderId: string, orderCreatedAt: Date): Promise<Stripe.PaymentIntent | null> {
  // A minute of slack for clocks that disagree.
  const since = Math.floor(orderCreatedAt.getTime() / 1000) - 60;
  for await (const intent of stripe().paymentIntents.list({ created: { gte: since }, limit: 100 })) {
    if (intent.metadata?.order_id === orderId && intent.status !== "canceled") return intent;
  }
  return null;
}

/**
 * Refunds what is left of an order's payment; a repeat (a retried job) changes
 * nothing. After a 5xx the charge says whether the refund was made.
 */
export async function refundInFull(orderId: string, paymentIntentId: string, keys: KeyGenerations): Promise<void> {
  await makeOnce(
    keys,
    async (generation) => {
      try {
        await stripe().refunds.create({ payment_intent: paymentIntentId }, { idempotencyKey: stripeIdempotencyKeys.refundInFull(orderId, generation) });
      } catch (error) {
        // Refunded already (by us past the key's 24 h, or from the dashboard): nothing left to do.
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "charge_already_refunded")) throw error;
      }
      return true;
    },
    async () => (await stripe().charges.list({ payment_intent: paymentIntentId, limit: 10 })).data.some((c) => c.status === "succeeded" && c.refunded) || null,
  );
}

export type RefundResult = { kind: "made"; stripeRefundId: string } | { kind: "refused"; message: string };

/**
 * One refund we recorded (`refundId`), made at Stripe once however often this
 * runs: its key derives from our record. Stripe's refusal (more than is left,
 * nothing to refund) is final; anything else is a PaymentUnavailableError.
 */
export async function refundPart(
  refund: { id: string; paymentIntentId: string; amountCents: number; keyGenerations: KeyGenerations },
  policy: Pick<Policy, "derivesStripeKeys">,
): Promise<RefundResult> {
  try {
    const { made } = await makeOnce(
      refund.keyGenerations,
      (generation) =>
        stripe().refunds.create(
          { payment_intent: refund.paymentIntentId, amount: refund.amountCents, metadata: { refund_id: refund.id } },
          keyOption(policy, stripeIdempotencyKeys.refund(refund.id, generation)),
        ),
      policy.derivesStripeKeys ? () => findRefund(refund.id, refund.paymentIntentId) : null,
    );
    return { kind: "made", stripeRefundId: made.id };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) return { kind: "refused", message: stripeMessage(error) };
    throw asUnavailable(error);
  }
}

/** Our refund at Stripe, if it was made: the PaymentIntent's refunds, for the one carrying its id. */
async function findRefund(refundId: string, paymentIntentId: string): Promise<Stripe.Refund | null> {
  for await (const made of stripe().refunds.list({ payment_intent: paymentIntentId, limit: 100 })) {
    if (made.metadata?.refund_id === refundId) return made;
  }
  return null;
}

/**
 * Cancels an order's PaymentIntent that was never finished (authentication
 * abandoned). Returns false when Stripe says it can no longer be canceled
 * (it succeeded or is processing after all): its own outcome decides then.
 */
export async function cancelPayment(orderId: string, paymentIntentId: string): Promise<boolean> {
  try {
    const intent = await stripe().paymentIntents.cancel(
      paymentIntentId,
      { cancellation_reason: "abandoned" },
      { idempotencyKey: stripeIdempotencyKeys.cancelPaymentIntent(orderId, paymentIntentId) },
    );
    return intent.status === "canceled";
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "payment_intent_unexpected_state") return false;
    throw asUnavailable(error);
  }
}

/** Reads where a PaymentIntent stands (resuming after a crash, the return page, upkeep). */
export async function paymentOutcome(paymentIntentId: string): Promise<PaymentOutcome> {
  try {
    return outcomeOf(await stripe().paymentIntents.retrieve(paymentIntentId));
  } catch (error) {
    throw asUnavailable(error);
  }
}

function keyOption(policy: Pick<Policy, "derivesStripeKeys">, key: string): Stripe.RequestOptions {
  return policy.derivesStripeKeys ? { idempotencyKey: key } : {};
}

function outcomeOf(intent: Stripe.PaymentIntent): PaymentOutcome {
  if (intent.status === "succeeded") return { kind: "succeeded", paymentIntentId: intent.id };
  const redirectUrl = intent.status === "requires_action" ? intent.next_action?.redirect_to_url?.url : undefined;
  if (redirectUrl) return { kind: "requires_action", paymentIntentId: intent.id, redirectUrl };
  if (intent.status === "requires_payment_method" && intent.last_payment_error) return declineOf(intent);
  return { kind: "pending", paymentIntentId: intent.id, status: intent.status };
}

/** A PaymentIntent's last failure as a decline (the bank's reason, or a failed authentication). */
export function declineOf(intent: Stripe.PaymentIntent): Extract<PaymentOutcome, { kind: "declined" }> {
  const error = intent.last_payment_error;
  return {
    kind: "declined",
    paymentIntentId: intent.id,
    code: error?.decline_code ?? error?.code ?? "card_declined",
    message: error?.message ?? "Your card was declined.",
  };
}

/** Stripe's message for people, without the `[req_…]` the SDK puts before it since stripe 23.2 (logs keep that). */
function stripeMessage(error: InstanceType<typeof Stripe.errors.StripeError>): string {
  const { message } = (error.raw ?? {}) as { message?: unknown };
  return typeof message === "string" ? message : error.message;
}

/** Anything that is not a card decline leaves the attempt unfinished. */
function asUnavailable(error: unknown): PaymentUnavailableError {
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return new PaymentUnavailableError(`payment service unreachable: ${error.message}`, 503);
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new PaymentUnavailableError(`payment service error (${error.statusCode ?? "?"} ${error.type}): ${error.message}`, 502);
  }
  return new PaymentUnavailableError(`payment service error: ${String(error)}`, 502);
}

export type PaymentSideIntent = {
  id: string;
  orderId: string | null;
  amount: number;
  currency: string;
  status: string;
  created: number;
  charges: { id: string; status: string }[];
};

/**
 * The local Stripe server's record of this account (/ledger in local mode):
 * one request. Never real Stripe: listing PaymentIntents and then each one's
 * charges took up to ~100 calls per view, enough to use up the account's rate
 * limit and break checkouts; its Dashboard shows the same.
 */
export async function paymentSideLedger(limit = 100): Promise<PaymentSideIntent[]> {
  const config = env().stripe;
  if (config.mode !== "local") throw new Error("the payment side's ledger is read from the local Stripe server only");
  const url = `http://${config.local.host}:${config.local.port}/_control/ledger?account=${encodeURIComponent(config.secretKey)}`;
  const response = await fetch(url, { cache: "no-store" });
  const ledger = (await response.json()) as {
    paymentIntents: (Stripe.PaymentIntent & { charges: { id: string; status: string }[] })[];
  };
  return ledger.paymentIntents.slice(0, limit).map((pi) => sideIntent(pi, pi.charges));
}

function sideIntent(pi: Stripe.PaymentIntent, charges: { id: string; status: string }[]): PaymentSideIntent {
  return {
    id: pi.id,
    orderId: pi.metadata?.order_id ?? null,
    amount: pi.amount,
    currency: pi.currency,
    status: pi.status,
    created: pi.created,
    charges: charges.map((c) => ({ id: c.id, status: c.status })),
  };
}
