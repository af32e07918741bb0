// Everything one server holds: an account per secret key (its objects, its
// idempotency keys, its counters), the faults switched on, the webhook
// endpoints and deliveries, and the store that keeps them across restarts.
// Read back from the store at start; POST /_control/reset empties it and puts
// back the settings the server was started with.
import { Account } from "./account.ts";
import { STRIPE_API_VERSION } from "./api-version.ts";
import { Faults } from "./faults.ts";
import { IdempotencyStore } from "./idempotency.ts";
import type { Settings } from "./options.ts";
import { Store, type StoredObject } from "./store.ts";
import { WebhookSender, type Delivery } from "./webhooks.ts";

const COUNTERS = ["requests", "replays", "conflicts", "mismatches"] as const;
export type Counters = Record<(typeof COUNTERS)[number], number>;
export type AccountState = { account: Account; idempotency: IdempotencyStore; counters: Counters };

export class ServerState {
  readonly accounts = new Map<string, AccountState>();
  readonly faults = new Faults();
  readonly webhooks: WebhookSender;
  readonly store: Store;

  constructor(private readonly settings: Settings) {
    this.webhooks = new WebhookSender(this.faults, { backoffMs: settings.webhookBackoffMs, log: settings.log });
    this.store = new Store(settings.stateFile);
    this.webhooks.onChange = (index, delivery) => this.store.saveDelivery(index, delivery);
    this.defaults();
    this.restore();
  }

  /** The faults and webhook endpoints the server was started with. */
  private defaults() {
    this.faults.reset();
    this.faults.latencyMs = this.settings.latencyMs;
    this.webhooks.reset();
    this.webhooks.endpoints = this.settings.webhookUrl ? [{ url: this.settings.webhookUrl, secret: this.settings.webhookSecret }] : [];
  }

  /** Everything the store kept, back in memory (at start). */
  private restore() {
    const saved = this.store.load();
    for (const { account, object } of saved.objects) {
      if (object.object !== "counters") this.accountFor(account).account.restore(object);
      else for (const name of COUNTERS) this.accountFor(account).counters[name] = Number((object as unknown as Counters)[name] ?? 0);
    }
    for (const { account, entry } of saved.keys) this.accountFor(account).idempotency.restore(entry);
    this.webhooks.restore(saved.deliveries as Delivery[]);
  }

  accountFor(key: string): AccountState {
    let state = this.accounts.get(key);
    if (!state) {
      const account = new Account(key, STRIPE_API_VERSION, {
        onEvent: (event) => this.webhooks.send(event),
        onSave: (object) => this.store.saveObject(key, object),
      });
      state = {
        account,
        idempotency: new IdempotencyStore({ save: (entry) => this.store.saveKey(key, entry) }),
        counters: { requests: 0, replays: 0, conflicts: 0, mismatches: 0 },
      };
      this.accounts.set(key, state);
    }
    return state;
  }

  /** Counts a request for the ledger, and keeps the count. */
  bump(state: AccountState, counter: keyof Counters) {
    state.counters[counter]++;
    this.store.saveObject(state.account.key, { object: "counters", id: "counters", ...state.counters } as StoredObject);
  }

  /** The account a PaymentIntent is in (the authentication page is reached without a key). */
  accountOfPaymentIntent(id: string): Account | undefined {
    for (const { account } of this.accounts.values()) if (account.paymentIntents.byId.has(id)) return account;
    return undefined;
  }

  /** Forgets everything, and puts back the settings it started with. */
  reset() {
    this.accounts.clear();
    this.store.clear();
    this.defaults();
  }

  /** No more webhook tries, and the store's file closed. */
  close() {
    this.webhooks.stop();
    this.store.close();
  }
}
