// Who may use the admin: anyone in local mode; elsewhere only with ADMIN_SECRET
// as the Basic auth password; nobody while it is unset.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adminAccess, ledgerAccess } from "../lib/sessions/admin-auth.server";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const real = { open: false, adminSecret: "correct horse battery staple" };

describe("admin access", () => {
  it("local mode (demo tools) is open", () => {
    assert.equal(adminAccess(null, { open: true, adminSecret: null }), "allowed");
  });

  it("without ADMIN_SECRET outside local mode, closed, whatever is sent", () => {
    assert.equal(adminAccess(basic("admin", ""), { open: false, adminSecret: null }), "closed");
  });

  it("with ADMIN_SECRET: the right password (any user name) lets in; none or a wrong one is asked again", () => {
    assert.equal(adminAccess(basic("anyone", real.adminSecret), real), "allowed");
    assert.equal(adminAccess(null, real), "ask");
    assert.equal(adminAccess(basic("admin", "wrong"), real), "ask");
    assert.equal(adminAccess(basic(real.adminSecret, ""), real), "ask", "the secret as the user name is not the password");
    assert.equal(adminAccess("Bearer " + real.adminSecret, real), "ask");
    assert.equal(adminAccess("Basic !!!", real), "ask");
  });

  it("a password with colons is read whole", () => {
    assert.equal(adminAccess(basic("admin", "a:b:c:d-e-f-g-h-i-j"), { open: false, adminSecret: "a:b:c:d-e-f-g-h-i-j" }), "allowed");
  });

  it("the ledger: anyone's in local mode (even with demo tools off); with real Stripe the admin's, as /admin", () => {
    assert.equal(ledgerAccess(null, { stripeMode: "local", adminSecret: null }), "allowed");
    assert.equal(ledgerAccess(null, { stripeMode: "local", adminSecret: real.adminSecret }), "allowed");
    assert.equal(ledgerAccess(null, { stripeMode: "stripe", adminSecret: null }), "closed");
    assert.equal(ledgerAccess(null, { stripeMode: "stripe", adminSecret: real.adminSecret }), "ask");
    assert.equal(ledgerAccess(basic("admin", "wrong"), { stripeMode: "stripe", adminSecret: real.adminSecret }), "ask");
    assert.equal(ledgerAccess(basic("admin", real.adminSecret), { stripeMode: "stripe", adminSecret: real.adminSecret }), "allowed");
  });
});
