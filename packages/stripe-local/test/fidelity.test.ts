// Where the local server used to answer otherwise than Stripe (issue 27): each
// class of difference, checked on a server of this file's own, by raw HTTP
// (what the SDK would hide: headers, the error body as sent) or the SDK.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { after, describe, it } from "node:test";
import Stripe from "stripe";
import { start } from "../src/index.ts";
import { responseSpec } from "../src/response-spec.ts";
import { until } from "./processes.ts";

const local = await start({ port: 0, webhookBackoffMs: 100, log: () => {} });
after(() => local.close());

const key = () => `sk_test_fidelity_${randomUUID().slice(0, 8)}`;
const ACCOUNT = key();
const stripe = new Stripe(ACCOUNT, { host: "127.0.0.1", port: local.port, protocol: "http", maxNetworkRetries: 0, telemetry: false });

type ErrorBody = { type: string; code?: string; param?: string; message: string; doc_url?: string } & Record<string, unknown>;

/** A request as curl would send it; `body` "" is a GET. */
async function raw(path: string, body = "", headers: Record<string, string> = {}, account = ACCOUNT) {
  const response = await fetch(`${local.url}${path}`, {
    method: body ? "POST" : "GET",
    headers: { Authorization: `Bearer ${account}`, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    ...(body && { body }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & { error?: ErrorBody } };
}

async function rejected(path: string, body = "", headers: Record<string, string> = {}) {
  const answer = await raw(path, body, headers);
  assert.ok(answer.status >= 400, `${path} ${body}: ${answer.status}`);
  return { status: answer.status, error: answer.json.error! };
}

const visa = {
  amount: 2000,
  currency: "usd",
  payment_method: "pm_card_visa",
  confirm: true,
  automatic_payment_methods: { enabled: true, allow_redirects: "never" as const },
};

describe("errors are shaped as Stripe's", () => {
  it("every error carries a type, a message and a doc_url (and a code where Stripe gives one)", async () => {
    const answers = await Promise.all([
      rejected("/v1/payment_intents", "amount=2000&currency=usd&colour=red"),
      rejected("/v1/payment_intents", "amount=2000"),
      rejected("/v1/payment_intents/pi_bogus"),
      rejected("/v1/no_such_thing"),
      rejected("/v1/customers", "email=a%40example.com", { Authorization: "Bearer nope" }),
      rejected(
        "/v1/payment_intents",
        "amount=2000&currency=usd&payment_method=pm_card_chargeDeclined&confirm=true&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never",
      ),
    ]);
    for (const { error } of answers) {
      assert.equal(typeof error.type, "string");
      assert.equal(typeof error.message, "string");
      assert.match(String(error.doc_url), /^https:\/\/(docs\.)?stripe\.com\//, JSON.stringify(error));
      if (error.code) assert.match(String(error.doc_url), new RegExp(`error-codes/${error.code.replace(/_/g, "-")}$`));
    }
  });

  it("a Stripe-Version that is not a released version is a 400 invalid_request_error", async () => {
    const { status, error } = await rejected("/v1/customers", "email=v%40example.com", { "Stripe-Version": "2099-01-01" });
    assert.equal(status, 400);
    assert.equal(error.type, "invalid_request_error");
    const known = await raw("/v1/customers", "email=v%40example.com", { "Stripe-Version": "2024-06-20" });
    assert.equal(known.status, 200);
  });

  it("a card decline names the full PaymentMethod and the full PaymentIntent", async () => {
    const { status, error } = await rejected(
      "/v1/payment_intents",
      "amount=2000&currency=usd&payment_method=pm_card_chargeDeclined&confirm=true&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never",
    );
    assert.equal(status, 402);
    const method = error.payment_method as Record<string, unknown>;
    assert.equal(method.object, "payment_method");
    assert.equal((method.card as { last4: string }).last4, "0002");
    assert.ok("billing_details" in method && "created" in method);
    const intent = error.payment_intent as Record<string, unknown>;
    assert.equal(intent.object, "payment_intent");
    assert.equal(intent.status, "requires_payment_method");
    assert.equal((intent.last_payment_error as { payment_method: { object: string } }).payment_method.object, "payment_method");
    assert.ok("client_secret" in intent && "created" in intent);
  });
});

describe("requests are checked as Stripe checks them", () => {
  it("expand[] of a field that cannot be expanded is a 400", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: "usd" });
    const { status, error } = await rejected(`/v1/payment_intents/${pi.id}?expand[]=bogus`);
    assert.equal(status, 400);
    assert.equal(error.message, "This property cannot be expanded (bogus).");
    const list = await rejected("/v1/payment_intents?expand[]=data.bogus");
    assert.equal(list.status, 400);
    const nested = await rejected(`/v1/payment_intents/${pi.id}?expand[]=latest_charge.bogus`);
    assert.equal(nested.error.message, "This property cannot be expanded (latest_charge.bogus).");
    // What the spec allows is still expanded, also through an expanded object.
    const fine = await raw(`/v1/payment_intents?expand[]=data.customer`);
    assert.equal(fine.status, 200);
    const paid = await stripe.paymentIntents.create(visa);
    const through = await stripe.paymentIntents.retrieve(paid.id, { expand: ["latest_charge.payment_intent"] });
    assert.equal(((through.latest_charge as Stripe.Charge).payment_intent as Stripe.PaymentIntent).object, "payment_intent");
  });

  it("parameters the announced version no longer has (its SDK's types lack them) are unknown parameters", async () => {
    for (const [path, body, param] of [
      ["/v1/payment_intents", "amount=2000&currency=usd&payment_method_types[]=card", "payment_method_types"],
      ["/v1/customers", "coupon=SPRING", "coupon"],
    ] as const) {
      const { status, error } = await rejected(path, body);
      assert.equal(status, 400);
      assert.equal(error.code, "parameter_unknown");
      assert.equal(error.param, param);
    }
    // Pagination the SDK inherits (PaginationParams) is still known.
    assert.equal((await raw("/v1/charges?limit=3")).status, 200);
  });

  it("an e-mail address that is not one is a 400 naming the param", async () => {
    const { status, error } = await rejected("/v1/customers", "email=not-an-email");
    assert.equal(status, 400);
    assert.equal(error.param, "email");
    assert.match(error.message, /email/i);
    const receipt = await rejected("/v1/payment_intents", "amount=2000&currency=usd&receipt_email=nope");
    assert.equal(receipt.error.param, "receipt_email");
    assert.equal((await raw("/v1/customers", "email=ok%40example.com")).status, 200);
  });

  it("starting_after an unknown id is a 400 resource_missing", async () => {
    for (const [path, kind] of [
      ["/v1/payment_intents", "payment_intent"],
      ["/v1/charges", "charge"],
      ["/v1/refunds", "refund"],
      ["/v1/events", "event"],
    ] as const) {
      const { status, error } = await rejected(`${path}?starting_after=${kind}_bogus`);
      assert.equal(status, 400, path);
      assert.equal(error.code, "resource_missing");
      assert.equal(error.param, "starting_after");
      assert.match(error.message, /^No such /);
    }
  });

  it("a refund of 0 is refused as not a positive amount, not as too large", async () => {
    const pi = await stripe.paymentIntents.create(visa);
    const { status, error } = await rejected("/v1/refunds", `payment_intent=${pi.id}&amount=0`);
    assert.equal(status, 400);
    assert.equal(error.param, "amount");
    assert.doesNotMatch(error.message, /greater than/);
    assert.match(error.message, /positive|at least/i);
    const capture = await stripe.paymentIntents.create({ ...visa, capture_method: "manual" });
    const zero = await rejected(`/v1/payment_intents/${capture.id}/capture`, "amount_to_capture=0");
    assert.doesNotMatch(zero.error.message, /at most/);
  });

  it("confirm=true with the default automatic payment methods needs a return_url (or allow_redirects=never)", async () => {
    const { status, error } = await rejected("/v1/payment_intents", "amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true");
    assert.equal(status, 400);
    assert.equal(error.param, "return_url");
    assert.equal(
      (await raw("/v1/payment_intents", "amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true&return_url=https%3A%2F%2Fshop.example%2Fback"))
        .status,
      200,
    );
    assert.equal(
      (
        await raw(
          "/v1/payment_intents",
          "amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never",
        )
      ).status,
      200,
    );
    const created = await raw("/v1/payment_intents", "amount=2000&currency=usd");
    assert.deepEqual(created.json.automatic_payment_methods, { allow_redirects: "always", enabled: true });
  });
});

describe("objects are shaped as Stripe's", () => {
  it("a test payment method id (pm_card_visa) can be retrieved", async () => {
    const method = await stripe.paymentMethods.retrieve("pm_card_visa");
    assert.equal(method.object, "payment_method");
    assert.equal(method.card?.last4, "4242");
  });

  it("a succeeded charge has its balance_transaction and receipt_url", async () => {
    const pi = await stripe.paymentIntents.create(visa);
    const charge = await stripe.charges.retrieve(String(pi.latest_charge));
    assert.match(String(charge.balance_transaction), /^txn_/);
    assert.match(String(charge.receipt_url), /^https?:\/\//);
  });

  const { objects } = responseSpec;
  const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

  /** Every required field present; every field present of a type the spec gives, null only where it may be. */
  function misfits(object: Record<string, unknown>): string[] {
    const schema = objects[String(object.object)];
    assert.ok(schema, `no response schema for ${String(object.object)}`);
    const problems = schema.required.filter((k) => !(k in object)).map((k) => `${k}: missing`);
    for (const [name, value] of Object.entries(object)) {
      const rule = schema.properties[name];
      if (!rule) continue;
      if (value === null) {
        if (!rule.nullable) problems.push(`${name}: null`);
      } else if (!rule.types.includes(jsonType(value))) problems.push(`${name}: ${jsonType(value)}, not ${rule.types.join("|")}`);
      else if (rule.enum && !rule.enum.includes(value)) problems.push(`${name}: ${String(value)} not in its enum`);
    }
    return problems.map((p) => `${String(object.object)}.${p}`);
  }

  it("every object every endpoint returns fits the spec's response schema", async () => {
    const customer = await stripe.customers.create({ email: "schema@example.com", name: "S" });
    const paid = await stripe.paymentIntents.create({ ...visa, customer: customer.id });
    type Decline = { payment_intent: Stripe.PaymentIntent; payment_method: Stripe.PaymentMethod };
    const decline = await stripe.paymentIntents.create({ ...visa, payment_method: "pm_card_chargeDeclined" }).then(
      () => assert.fail("the decline was not refused"),
      (e: { raw: Decline }) => e.raw,
    );
    const declined = decline.payment_intent;
    const waiting = await stripe.paymentIntents.create({ amount: 2000, currency: "usd" });
    const canceled = await stripe.paymentIntents.cancel((await stripe.paymentIntents.create({ amount: 900, currency: "usd" })).id);
    const authorized = await stripe.paymentIntents.create({ ...visa, capture_method: "manual" });
    const captured = await stripe.paymentIntents.capture(authorized.id, { amount_to_capture: 1000 });
    const refund = await stripe.refunds.create({ payment_intent: paid.id, amount: 500 });
    const objects: object[] = [
      customer,
      await stripe.customers.retrieve(customer.id),
      paid,
      declined,
      decline.payment_method,
      waiting,
      canceled,
      captured,
      await stripe.paymentIntents.update(waiting.id, { description: "x" }),
      await stripe.paymentIntents.retrieve(paid.id),
      ...(await stripe.paymentIntents.list({ limit: 100 })).data,
      ...(await stripe.charges.list({ limit: 100 })).data,
      await stripe.charges.retrieve(String(paid.latest_charge)),
      refund,
      await stripe.refunds.retrieve(refund.id),
      ...(await stripe.refunds.list({ limit: 100 })).data,
      await stripe.paymentMethods.retrieve(String(paid.payment_method)),
      ...(await stripe.events.list({ limit: 100 })).data,
    ];
    const events = (await stripe.events.list({ limit: 100 })).data;
    objects.push(...events.map((e) => e.data.object), await stripe.events.retrieve(events[0]!.id));
    assert.deepEqual([...new Set(objects.flatMap((o) => misfits(o as Record<string, unknown>)))], []);
  });
});

describe("webhooks", () => {
  it("an event counts the endpoints still to deliver it to (pending_webhooks)", async () => {
    let answer = 500;
    const hook = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(answer).end());
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    const address = hook.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hook`;
    const control = (body: unknown) => fetch(`${local.url}/_control/webhooks`, { method: "POST", body: JSON.stringify(body) });
    await control({ endpoints: [{ url }, { url: `${url}?second` }] });
    try {
      const client = new Stripe(key(), { host: "127.0.0.1", port: local.port, protocol: "http", maxNetworkRetries: 0, telemetry: false });
      const customer = await client.customers.create({ email: "hooks@example.com" });
      const [event] = (await client.events.list({ limit: 1 })).data;
      assert.equal((event!.data.object as { id: string }).id, customer.id);
      assert.equal(event!.pending_webhooks, 2);
      answer = 200;
      await until(async () => (await client.events.retrieve(event!.id)).pending_webhooks === 0, "deliveries");
    } finally {
      await control({ endpoints: [] });
      hook.close();
    }
  });
});
