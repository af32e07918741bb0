// The session row is created by a visitor's first request that needs it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiSession } from "../lib/api-session.server";
import { db } from "../lib/db.server";
import { mintSession, SESSION_COOKIE } from "../lib/session-cookie.server";

describe("sessions", () => {
  // Found by `npm run chaos -- --seed 579784261 --db postgres`: a new visitor's two tabs asked at
  // once, both upserts found no row, both inserted, and the loser answered an empty 500.
  it("chaos seed 579784261: a new visitor's first requests at once all get the one session", async () => {
    const { id, cookie } = mintSession();
    const request = () => new Request("http://shop.test/api/orders", { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    const sessions = await Promise.all(Array.from({ length: 8 }, () => apiSession(request())));
    assert.deepEqual(
      sessions.map((s) => s?.id),
      Array(8).fill(id),
    );
  });

  it("a cookie session past its lifetime is refused by the API, as a token is", async () => {
    const { id, cookie } = mintSession();
    const request = () => new Request("http://shop.test/api/orders", { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    assert.equal((await apiSession(request()))?.id, id);
    await db.session.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.equal(await apiSession(request()), null);
  });
});
