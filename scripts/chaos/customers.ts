// The campaign's clients, misbehaving as real ones do, through the shop's real
// HTTP surfaces:
//   - API customers (POST /api/orders with an Idempotency-Key): retries with
//     the same key after a timeout or a retryable answer, the same request
//     sent twice at once, two "tabs" with two keys, a decline then another
//     card, 3-D Secure completed, failed or abandoned;
//   - browser customers posting the shop's own HTML forms as a browser does
//     before (or without) JavaScript: add to cart, Pay twice at once, a
//     reload mid-payment, two tabs on one cart, 3-D Secure;
//   - customers reviewing what they bought (the kit's protected form),
//     sometimes with a double click;
//   - a merchant marking paid orders shipped and refunding them from the
//     admin, sometimes twice at once, sometimes more than is left.
// Each records what it meant to buy (its intents): the invariants hold the
// shop to charging no session more often than its customer meant to pay.
import { randomUUID } from "node:crypto";
import type { Exchanges } from "./exchanges";
import type { Random } from "./random";
import { setTimeout as sleep } from "node:timers/promises";

const THREE_DS = "pm_card_threeDSecure2Required";
const DECLINED = "pm_card_chargeDeclined";
const VISA = "pm_card_visa";
const PATIENCE = 40; // tries of one request before a client gives up (recorded: it never heard a final answer)

export type World = {
  exchanges: Exchanges;
  slugs: string[];
  /** Called with each new session: the unprotected campaign switches its protections off. */
  onSession(sessionId: string): Promise<void>;
  /** Session → how many payments its customer meant to make. */
  intents: Map<string, number>;
  /** Final API answers, to be asked again with the same key at the end. */
  answered: { token: string; key: string; body: string; status: number; answer: string }[];
  /** Clients that gave up without a final answer. */
  unanswered: { client: string; what: string; session?: string; key?: string }[];
  sessionOfCookie(cookie: string): string | null;
  stopping(): boolean;
};

const intend = (world: World, session: string, n = 1) => world.intents.set(session, (world.intents.get(session) ?? 0) + n);

/** The answer's gist, for comparing a replay with the first answer: the order id and status, or the problem type. */
export function gist(status: number, body: string): string {
  try {
    const json = JSON.parse(body) as { order?: { id: string }; type?: string };
    return `${status} ${json.order?.id ?? json.type ?? ""}`;
  } catch {
    return `${status}`;
  }
}

// ---- API customers ----

async function apiSession(world: World, random: Random, client: string): Promise<string | null> {
  for (let i = 0; i < PATIENCE; i++) {
    const { verdict, body } = await world.exchanges.send(random, client, "POST /api/sessions", "/api/sessions", { method: "POST" });
    if (verdict === "final" && body) return (JSON.parse(body) as { token: string }).token;
    await sleep(random.int(200, 1000));
  }
  world.unanswered.push({ client, what: "POST /api/sessions" });
  return null;
}

/**
 * One order through the API, retried with the same key until a final answer:
 * possibly sent twice at once, possibly given up on early the first time.
 */
async function apiOrder(world: World, random: Random, client: string, token: string, paymentMethod: string) {
  const key = randomUUID();
  const body = JSON.stringify({
    email: `${client}@example.com`,
    items: [{ slug: random.pick(world.slugs), quantity: random.int(1, 2) }],
    paymentMethod,
  });
  const init = { method: "POST", body, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key } };
  const send = (abortAfterMs?: number) => world.exchanges.send(random, client, `POST /api/orders ${paymentMethod}`, "/api/orders", init, abortAfterMs);
  const doubled = random.chance(0.3);
  const impatient = random.chance(0.3);
  for (let i = 0; i < PATIENCE; i++) {
    const first = i === 0;
    const tries = await Promise.all([send(first && impatient ? random.int(200, 1500) : undefined), ...(first && doubled ? [send()] : [])]);
    const final = tries.find((t) => t.verdict === "final" && t.response);
    if (final) {
      world.answered.push({ token, key, body, status: final.response!.status, answer: gist(final.response!.status, final.body!) });
      return JSON.parse(final.body!) as { nextAction?: { url: string } };
    }
    await sleep(random.int(300, 1500));
  }
  world.unanswered.push({ client, what: `POST /api/orders (key ${key})`, session: token, key });
  return null;
}

/** The bank's page: complete or fail (a button posted), or leave it; a completed one goes back to the shop's return page. */
async function authenticate(world: World, random: Random, client: string, url: string, headers: Record<string, string> = {}) {
  const choice = random.pick(["complete", "complete", "fail", "abandon"] as const);
  if (choice === "abandon") return;
  const page = new URL(url);
  const form = new URLSearchParams({
    payment_intent: page.searchParams.get("payment_intent") ?? "",
    client_secret: page.searchParams.get("client_secret") ?? "",
    action: choice,
  });
  const answer = await world.exchanges.send(random, client, `3-D Secure: ${choice}`, url, { method: "POST", body: form });
  const back = answer.response?.headers.get("location");
  if (back) await world.exchanges.send(random, client, "GET the return page", new URL(back).pathname + new URL(back).search, { headers });
}

export async function apiCustomer(world: World, random: Random, client: string) {
  const token = await apiSession(world, random, client);
  if (!token) return;
  await world.onSession(token);
  switch (random.pick(["pays", "pays", "two tabs", "declined, then another card", "3-D Secure"] as const)) {
    case "pays":
      intend(world, token);
      await apiOrder(world, random, client, token, VISA);
      return;
    case "two tabs":
      intend(world, token, 2);
      await Promise.all([apiOrder(world, random, client, token, VISA), apiOrder(world, random, client, token, VISA)]);
      return;
    case "declined, then another card":
      intend(world, token);
      await apiOrder(world, random, client, token, DECLINED);
      await apiOrder(world, random, client, token, VISA);
      return;
    case "3-D Secure": {
      intend(world, token);
      const answer = await apiOrder(world, random, client, token, THREE_DS);
      if (answer?.nextAction) await authenticate(world, random, client, answer.nextAction.url);
      return;
    }
  }
}

// ---- browser customers (plain HTML form posts) ----

/** A form of a page: where it posts (null: the page itself, a Server Action), and its fields. */
type Form = { action: string | null; fields: [string, string][]; names: Set<string> };

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The forms of a page: their hidden and filled-in fields (radios and empty inputs are the customer's to fill). */
export function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)].map(([, tag, inner]) => {
    const fields: [string, string][] = [];
    const names = new Set<string>();
    for (const [input] of inner!.matchAll(/<(?:input|select|textarea)[^>]*>/g)) {
      const name = input.match(/name="([^"]*)"/)?.[1];
      if (!name) continue;
      names.add(unescape(name));
      const value = input.match(/value="([^"]*)"/)?.[1] ?? (/type="hidden"/.test(input) ? "" : undefined);
      if (value !== undefined && !/type="(radio|checkbox)"/.test(input)) fields.push([unescape(name), unescape(value)]);
    }
    const action = tag!.match(/action="(\/[^"]*)"/)?.[1] ?? null;
    return { action: action && unescape(action), fields, names };
  });
}

class Browser {
  private cookies = new Map<string, string>();
  constructor(
    readonly world: World,
    readonly random: Random,
    readonly client: string,
  ) {}

  get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(what: string, path: string, init: RequestInit = {}, abortAfterMs?: number) {
    const result = await this.world.exchanges.send(this.random, this.client, what, path, { ...init, headers: { cookie: this.cookie } }, abortAfterMs, true);
    for (const set of result.response?.headers.getSetCookie() ?? []) {
      const [pair] = set.split(";");
      const at = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return result;
  }

  /** A page, asked again until it is served. */
  async page(path: string): Promise<string | null> {
    for (let i = 0; i < PATIENCE && !this.world.stopping(); i++) {
      const { verdict, response, body } = await this.request(`GET ${path}`, path);
      if (verdict === "final" && response?.status === 200) return body!;
      await sleep(this.random.int(300, 1500));
    }
    return null;
  }

  /** Posts a form of the page at `path` as the browser does without JavaScript: a plain form to its action, a Server Action's to the page. */
  post(what: string, path: string, form: Form, extra: [string, string][], abortAfterMs?: number) {
    const fields = [...form.fields.filter(([k]) => !extra.some(([e]) => e === k)), ...extra];
    if (form.action) return this.request(what, form.action, { method: "POST", body: new URLSearchParams(fields) }, abortAfterMs);
    const data = new FormData();
    for (const [k, v] of fields) data.append(k, v);
    return this.request(what, path, { method: "POST", body: data }, abortAfterMs);
  }
}

/** Where a checkout post sent the browser: the order, the bank's page, or back to the checkout to try again. */
function landing(location: string | null | undefined) {
  if (!location) return { kind: "stay" as const };
  if (location.includes("/orders/")) return { kind: "order" as const, path: new URL(location, "http://shop").pathname };
  if (/^https?:/.test(location) && !location.includes("/checkout")) return { kind: "bank" as const, url: location };
  return { kind: "again" as const };
}

export async function browserCustomer(world: World, random: Random, client: string) {
  const browser = new Browser(world, random, client);
  const home = await browser.page("/");
  const session = world.sessionOfCookie(browser.cookie);
  if (!home || !session) return;
  await world.onSession(session);
  const product = random.pick(formsOf(home).filter((f) => f.names.has("productId")));
  await browser.post("add to cart", "/", product, []);
  intend(world, session);
  const behaviour = random.pick(["pays", "Pay twice at once", "reload mid-payment", "two tabs", "declined, then another card", "3-D Secure"] as const);
  const card = behaviour === "3-D Secure" ? THREE_DS : behaviour === "declined, then another card" ? DECLINED : VISA;

  for (let i = 0; i < PATIENCE; i++) {
    const page = await browser.page("/checkout");
    const form = page && formsOf(page).find((f) => f.names.has("idempotencyKey"));
    if (!form) return; // the cart is empty: the order went through
    const fields: [string, string][] = [
      ["email", `${client}@example.com`],
      ["paymentMethod", i > 0 && card === DECLINED ? VISA : card],
    ];
    const pay = (abortAfterMs?: number) => browser.post(`Pay (${fields[1]![1]})`, "/checkout", form, fields, abortAfterMs);
    let answers;
    if (i === 0 && behaviour === "Pay twice at once") answers = await Promise.all([pay(), pay()]);
    else if (i === 0 && behaviour === "reload mid-payment") answers = [await pay(random.int(100, 800))];
    else if (i === 0 && behaviour === "two tabs") {
      const other = formsOf((await browser.page("/checkout")) ?? "").find((f) => f.names.has("idempotencyKey"));
      answers = await Promise.all([pay(), ...(other ? [browser.post("Pay (second tab)", "/checkout", other, fields)] : [])]);
    } else answers = [await pay()];
    const where = answers.map((a) => landing(a.response?.headers.get("location")));
    const paid = where.find((w) => w.kind === "order");
    if (paid?.kind === "order") return random.chance(0.4) ? review(browser, paid.path) : undefined;
    const bank = where.find((w) => w.kind === "bank");
    if (bank?.kind === "bank") return authenticate(world, random, client, bank.url, { cookie: browser.cookie });
    // A final answer, though the page stays: the candle sold out meanwhile, and a person stops there.
    if (answers.some((a) => a.body?.includes("sold out while you were checking out"))) return;
    await sleep(random.int(300, 1500));
  }
  world.unanswered.push({ client, what: "checkout", session });
}

/** A review of the order's first product, from its page; sometimes sent twice at once (a double click before the page's script). */
async function review(browser: Browser, orderPath: string) {
  const page = await browser.page(orderPath);
  const form = page && formsOf(page).find((f) => f.names.has("rating"));
  if (!form) return;
  const send = () =>
    browser.post("review", orderPath, form, [
      ["rating", "5"],
      ["text", "Sturdy, and it arrived once."],
    ]);
  await Promise.all(browser.random.chance(0.5) ? [send(), send()] : [send()]);
}

// ---- the merchant ----

/**
 * The merchant on a paid order's admin page: marks it shipped, or refunds part
 * of it, all that is left, or more (refused); sometimes the button twice.
 */
export async function merchant(world: World, random: Random, order: { id: string; amountCents: number; refundReservedCents: number }) {
  const browser = new Browser(world, random, "merchant");
  const path = `/admin/orders/${order.id}`;
  const page = await browser.page(path);
  const forms = page ? formsOf(page) : [];
  const twice = random.chance(0.4);
  if (random.chance(0.3)) {
    const ship = forms.find((f) => f.names.has("orderId") && !f.names.has("amountCents"));
    if (ship) await Promise.all((twice ? [1, 2] : [1]).map(() => browser.post("mark as shipped", path, ship, [])));
    return;
  }
  const form = forms.find((f) => f.names.has("amountCents"));
  if (!form) return;
  const left = order.amountCents - order.refundReservedCents;
  const cents = random.pick([Math.max(1, Math.floor(left / 2)), left, left + 100]);
  const amount: [string, string][] = [["amountCents", (cents / 100).toFixed(2)]];
  const refund = () => browser.post(`refund ${(cents / 100).toFixed(2)}`, path, form, amount);
  await Promise.all(twice ? [refund(), refund()] : [refund()]);
}
