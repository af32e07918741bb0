// Every protected form of the store, by name: from its fields to what it
// shows. The server action (./actions.ts) and, in the demo with the UI guard
// off, the plain-form endpoint (./[form]/route.ts) both run these, each with
// the policy of the session's demo switches (lib/demo/policy.server.ts).
import { headers } from "next/headers";
import { requireCustomer, requestSignInLink, signInFormSchema } from "@/lib/forms/accounts.server";
import { addAddress, addAddressSchema, deleteAddress, deleteAddressSchema, editAddress, editAddressSchema } from "@/lib/forms/address-book.server";
import { adminAccess } from "@/lib/sessions/admin-auth.server";
import { clientAddress } from "@/lib/http/client-address.server";
import { sessionPolicy } from "@/lib/demo/policy.server";
import { env } from "@/lib/env.server";
import { submitForm } from "@/lib/forms/form-actions.server";
import { formatMoney } from "@/lib/money";
import { newsletterFormSchema, setNewsletter } from "@/lib/forms/newsletter.server";
import { relayOutbox } from "@/lib/worker/outbox.server";
import { RefusedInput, type FormReply } from "@payonce/kit";
import { refundFormSchema, refundOrder } from "@/lib/orders/refunds.server";
import { reviewFormSchema, reviewProduct } from "@/lib/forms/reviews.server";
import { markShipped, shipFormSchema } from "@/lib/forms/shipping.server";

const ok = (message: string) => ({ ok: true, message });
// A refusal about one field is said next to it; the status line only points there (saying it twice reads as two errors).
const notDone = (message: string, field?: string) =>
  field ? { ok: false, message: "Nothing was done: see the highlighted field.", fieldErrors: { [field]: [message] } } : { ok: false, message };

async function requireAdmin() {
  if (adminAccess((await headers()).get("authorization")) !== "allowed") throw new RefusedInput("Only the shop's admin may do this.");
}

/** Sends account mail now; what fails here the worker relays later. */
const relaySoon = () => relayOutbox().catch((error: unknown) => console.error("outbox relay:", error));

export const SUBMITTERS = {
  review: (form) =>
    submitForm(
      form,
      reviewFormSchema,
      async ({ session, key, fields }) => reviewProduct(session, key, fields, await sessionPolicy(session.id)),
      (o) => (o.kind === "reviewed" ? ok("Thank you for your review.") : notDone("This product of this order has its review already.")),
    ),

  "sign-in": async (form) => {
    const reply = await submitForm(
      form,
      signInFormSchema,
      async ({ session, key, fields }) =>
        requestSignInLink(session, key, fields, env().publicUrl, clientAddress(await headers()), Date.now(), await sessionPolicy(session.id)),
      (o) =>
        ok(
          o.kind === "link_sent"
            ? "We sent you a sign-in link: open it from your mail."
            : "A sign-in link for this address is on its way already: open it from your mail.",
        ),
    );
    await relaySoon();
    return reply;
  },

  newsletter: async (form) => {
    const reply = await submitForm(
      form,
      newsletterFormSchema,
      async ({ session, key, fields }) => setNewsletter(session, await requireCustomer(session.id), key, fields, await sessionPolicy(session.id)),
      (o) =>
        ok(
          {
            subscribed: "You are subscribed: a welcome e-mail is on its way.",
            already_subscribed: "You are subscribed already.",
            unsubscribed: "You are unsubscribed.",
          }[o.kind],
        ),
    );
    await relaySoon();
    return reply;
  },

  "address-add": (form) =>
    submitForm(
      form,
      addAddressSchema,
      async ({ session, key, fields }) => addAddress(session, (await requireCustomer(session.id)).id, key, fields, await sessionPolicy(session.id)),
      (o) => (o.kind === "added" ? ok("Address added.") : notDone("This address is in your book already.", "line1")),
    ),

  "address-edit": (form) =>
    submitForm(
      form,
      editAddressSchema,
      async ({ session, key, fields }) => editAddress(session, (await requireCustomer(session.id)).id, key, fields, await sessionPolicy(session.id)),
      (o) =>
        o.kind === "edited"
          ? ok("Address saved.")
          : o.kind === "not_found"
            ? notDone("This address was deleted meanwhile.")
            : notDone("This address is in your book already.", "line1"),
    ),

  "address-delete": (form) =>
    submitForm(
      form,
      deleteAddressSchema,
      async ({ session, key, fields }) => deleteAddress(session, (await requireCustomer(session.id)).id, key, fields, await sessionPolicy(session.id)),
      (o) => (o.kind === "deleted" ? ok("Address deleted.") : ok("This address was deleted already.")),
    ),

  refund: (form) =>
    submitForm(
      form,
      refundFormSchema,
      async ({ session, key, fields }) => {
        await requireAdmin();
        return refundOrder(session, key, fields, await sessionPolicy(session.id));
      },
      (o) =>
        o.kind === "refunded"
          ? ok(`Refunded ${formatMoney(o.amountCents, o.currency)}.`)
          : o.kind === "over_limit"
            ? notDone("Another refund took what was left meanwhile: nothing was refunded.", "amountCents")
            : notDone(`Stripe refused the refund: ${o.message}`),
    ),

  ship: (form) =>
    submitForm(
      form,
      shipFormSchema,
      async ({ session, key, fields }) => {
        await requireAdmin();
        return markShipped(session, key, fields, await sessionPolicy(session.id));
      },
      (o) => ok(o.kind === "shipped" ? "Marked as shipped: the customer is told." : "This order was shipped already."),
    ),
} satisfies Record<string, (form: FormData) => Promise<FormReply>>;

export type FormName = keyof typeof SUBMITTERS;

export const isFormName = (name: unknown): name is FormName => typeof name === "string" && Object.hasOwn(SUBMITTERS, name);
