// A customer's address book, three users of the kit: add, edit and delete.
// An address is in a book once (a unique key of the customer and the
// normalized address), so adding it twice, by a double click or in two tabs,
// makes one row; edits and deletes are safe to repeat by nature (set to these
// values, delete this one), and the attempt key replays their first answer.
import "server-only";
import { attempts, runAttempt } from "../db/attempts.server";
import { z } from "zod";
import { idempotencyKeySchema, text } from "../orders/checkout-schema";
import type { Tx } from "../db/db.server";
import { PROTECTED, type Policy } from "../policy";
import { requestFingerprint, uniquePhase } from "@payonce/kit";

const line = (label: string, max: number) => text(max).pipe(z.string().trim().min(1, `Enter the ${label}.`).max(max, `The ${label} is too long.`));

const addressFields = {
  name: line("name", 100),
  line1: line("street and number", 200),
  postalCode: line("postal code", 20),
  city: line("city", 100),
  country: line("country", 60),
};

export const addAddressSchema = z.object({ ...addressFields, idempotencyKey: idempotencyKeySchema });
export const editAddressSchema = z.object({ addressId: text(64), ...addressFields, idempotencyKey: idempotencyKeySchema });
export const deleteAddressSchema = z.object({ addressId: text(64), idempotencyKey: idempotencyKeySchema });

type Address = Omit<z.infer<typeof addAddressSchema>, "idempotencyKey">;

export const addressOutcomeSchema = z.object({ kind: z.enum(["added", "edited", "deleted", "already_in_book", "not_found"]) });

type AddressOutcome = z.infer<typeof addressOutcomeSchema>;

type Session = { id: string };

/** The book's unique key: the same address, whatever its spacing and case, is one entry. */
const addressKey = (policy: Policy, customerId: string, a: Address) =>
  policy.uniqueKey([customerId, a.name, a.line1, a.postalCode, a.city, a.country].map((s) => s.toLowerCase().replace(/\s+/g, " ")).join("|"));

/** One attempt of one change to `customerId`'s book: `change` runs in the attempt's one phase. */
function changeBook(session: Session, policy: Policy, key: string, path: string, request: object, change: (tx: Tx) => Promise<AddressOutcome["kind"]>) {
  return runAttempt({
    name: "address",
    ...attempts(),
    scope: session.id,
    key: policy.attemptKey(key),
    fingerprint: requestFingerprint("POST", path, request),
    outcome: addressOutcomeSchema,
    phases: {
      started: (lease) => uniquePhase<AddressOutcome, Tx>(lease, async (tx) => ({ finish: { kind: await change(tx) } }), { kind: "already_in_book" }),
    },
  });
}

export function addAddress(session: Session, customerId: string, key: string, address: Address, policy = PROTECTED) {
  return changeBook(session, policy, key, "/account/addresses", { customerId, ...address }, async (tx) => {
    await tx.address.create({ data: { customerId, addressKey: addressKey(policy, customerId, address), ...address } });
    return "added";
  });
}

export function editAddress(session: Session, customerId: string, key: string, { addressId, ...address }: Address & { addressId: string }, policy = PROTECTED) {
  return changeBook(session, policy, key, `/account/addresses/${addressId}`, { customerId, ...address }, async (tx) => {
    const data = { addressKey: addressKey(policy, customerId, address), ...address };
    const { count } = await tx.address.updateMany({ where: { id: addressId, customerId }, data });
    return count === 1 ? "edited" : "not_found";
  });
}

export function deleteAddress(session: Session, customerId: string, key: string, { addressId }: { addressId: string }, policy = PROTECTED) {
  return changeBook(session, policy, key, `/account/addresses/${addressId}/delete`, { customerId }, async (tx) => {
    const { count } = await tx.address.deleteMany({ where: { id: addressId, customerId } });
    return count === 1 ? "deleted" : "not_found";
  });
}
