"use client";
// The account's forms, each protected by the kit (ProtectedForm).
import { ProtectedForm } from "@/app/components/protected-form";
import type { FormState } from "@payonce/kit/react";
import { FieldError } from "@payonce/kit/react";

type Common = { serverKey: string; uiGuard: boolean; plainResult?: string };

export function SignInForm(props: Common) {
  return (
    <ProtectedForm form="sign-in" scope="sign-in" submitLabel="E-mail me a sign-in link" busyLabel="Sending…" testId="sign-in" returnTo="/account" {...props}>
      {(state) => (
        <>
          <label htmlFor="sign-in-email">E-mail</label>
          <input
            id="sign-in-email"
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={state.values?.email}
            key={`email-${state.answer}`}
            aria-invalid={!!state.fieldErrors?.email}
          />
          <FieldError state={state} name="email" />
          <p className="small muted">No password: the link in the e-mail signs you in, and makes your account the first time.</p>
        </>
      )}
    </ProtectedForm>
  );
}

export function NewsletterForm({ subscribed, ...props }: Common & { subscribed: boolean }) {
  return (
    <ProtectedForm form="newsletter" scope="newsletter" submitLabel="Save" busyLabel="Saving…" testId="newsletter" returnTo="/account" {...props}>
      {(state) => (
        <>
          <h2 style={{ marginTop: 0 }}>Newsletter</h2>
          <label className="radio">
            <input
              type="checkbox"
              name="subscribe"
              defaultChecked={state.values ? state.values.subscribe === "on" : subscribed}
              key={`subscribe-${state.answer}`}
            />
            Send me the monthly newsletter
          </label>
        </>
      )}
    </ProtectedForm>
  );
}

type Address = { id: string; name: string; line1: string; postalCode: string; city: string; country: string };

const FIELDS = [
  ["name", "Name", "name"],
  ["line1", "Street and number", "address-line1"],
  ["postalCode", "Postal code", "postal-code"],
  ["city", "City", "address-level2"],
  ["country", "Country", "country-name"],
] as const;

/** Adds an address, or (with `address`) edits it. */
export function AddressForm({ address, ...props }: Common & { address?: Address }) {
  const id = address?.id ?? "new";
  const fields = (state: FormState) => (
    <>
      {address && <input type="hidden" name="addressId" value={address.id} />}
      {FIELDS.map(([name, label, autoComplete]) => (
        <div key={name}>
          <label htmlFor={`${id}-${name}`}>{label}</label>
          <input
            id={`${id}-${name}`}
            name={name}
            autoComplete={autoComplete}
            defaultValue={state.values?.[name] ?? address?.[name]}
            key={`${name}-${state.answer}`}
            aria-invalid={!!state.fieldErrors?.[name]}
          />
          <FieldError state={state} name={name} />
        </div>
      ))}
      <div style={{ height: "0.8rem" }} />
    </>
  );
  return address ? (
    <ProtectedForm
      form="address-edit"
      scope={`address-edit:${id}`}
      submitLabel="Save address"
      busyLabel="Saving…"
      testId={`address-save-${id}`}
      returnTo="/account"
      {...props}
    >
      {fields}
    </ProtectedForm>
  ) : (
    <ProtectedForm form="address-add" scope="address-add" submitLabel="Add address" busyLabel="Adding…" testId="address-add" returnTo="/account" {...props}>
      {(state) => (
        <>
          <h3 style={{ marginTop: 0 }}>New address</h3>
          {fields(state)}
        </>
      )}
    </ProtectedForm>
  );
}

export function DeleteAddressForm({ addressId, ...props }: Common & { addressId: string }) {
  return (
    <ProtectedForm
      form="address-delete"
      scope={`address-delete:${addressId}`}
      submitLabel="Delete"
      busyLabel="Deleting…"
      testId={`address-delete-${addressId}`}
      returnTo="/account"
      className="inline-form"
      {...props}
    >
      {() => <input type="hidden" name="addressId" value={addressId} />}
    </ProtectedForm>
  );
}
