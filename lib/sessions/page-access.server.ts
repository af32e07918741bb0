// The pages that are the admin's (/admin, and /ledger with real Stripe) check
// access themselves too: proxy.ts asks for the password first, and this holds
// even if a request got past it (a path or method its matcher missed, a
// change to the matcher). A page renders nothing for the refused: not found.
import "server-only";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { adminAccess, type AdminAccess } from "./admin-auth.server";

/** Ends the page with "not found" unless `access` (adminAccess by default) allows this request. */
export async function requirePageAccess(access: (authorization: string | null) => AdminAccess = (authorization) => adminAccess(authorization)) {
  if (access((await headers()).get("authorization")) !== "allowed") notFound();
}
