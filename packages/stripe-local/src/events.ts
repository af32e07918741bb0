// An account's events (GET /v1/events), and the one way its objects change:
// every create or update is followed by its event, and that is when the object
// and the event are kept (store.ts) and the event is sent (webhooks.ts).
import { StripeError } from "./errors.ts";
import { newId, now } from "./ids.ts";
import { createdFilter, paginate, type List } from "./lists.ts";
import type { StoredObject } from "./store.ts";

export type Event = {
  id: string;
  object: "event";
  type: string;
  api_version: string;
  created: number;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
};

/** `origin`: where this server is reached (the authentication page's address). */
export type RequestContext = { requestId: string; idempotencyKey: string | null; origin: string };

/** Where an account's changes go: every new event (webhook delivery), and every object created or changed and every event (the store keeps them). */
export type Listeners = { onEvent(event: Event): void; onSave(object: StoredObject): void };

export class Events {
  /** Oldest first. */
  readonly all: Event[] = [];

  constructor(
    private readonly apiVersion: string,
    private readonly listeners: Listeners,
  ) {}

  emit(type: string, object: unknown, ctx: RequestContext) {
    const event: Event = {
      id: newId("evt"),
      object: "event",
      type,
      api_version: this.apiVersion,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
    };
    this.all.push(event);
    // Sent first: sending sets how many endpoints it is pending for.
    this.listeners.onEvent(event);
    // Every change to an object is followed by its event, so this is where it is kept.
    this.listeners.onSave(object as StoredObject);
    this.listeners.onSave(event);
  }

  /** Keeps an object made with no event of its own (a PaymentMethod made from a test card's id). */
  save(object: StoredObject) {
    this.listeners.onSave(object);
  }

  /** `type` may end in `*` (payment_intent.*); `types` is a list of exact types. */
  list(params: Record<string, unknown>): List<Event> {
    const type = params.type ? String(params.type) : undefined;
    const types = params.types ? Object.values(params.types as Record<string, string>) : undefined;
    const created = createdFilter(params.created);
    const matches = (e: Event) =>
      (!type || (type.endsWith("*") ? e.type.startsWith(type.slice(0, -1)) : e.type === type)) && (!types || types.includes(e.type)) && created(e.created);
    return paginate("/v1/events", "event", this.all.filter(matches).reverse(), params);
  }

  retrieve(id: string): Event {
    const event = this.all.find((e) => e.id === id);
    if (!event) throw StripeError.missing("event", id, "id");
    return event;
  }
}
