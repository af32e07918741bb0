// The session row is created by a visitor's first request that needs it.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { apiSession } from "../lib/api/api-session.server";
import { db } from "../lib/db/db.server";
import { env } from "../lib/env.server";
import { mintSession, SESSION_COOKIE, sessionIdFromCookie } from "../lib/sessions/session-cookie.server";

const withCookie = (cookie: string) => new Request("http://shop.test/api/orders", { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });

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

  // Issue 25 review: the cookie carried no time, so one kept past its lifetime still read as its
  // session on every page, and once the reaper deleted the (empty) row, was a new session again.
  it("a cookie kept past SESSION_LIFETIME_DAYS is no session, even once its row is gone", async () => {
    const lifetime = env().limits.sessionLifetimeMs;
    const { id, cookie } = mintSession(Date.now() - lifetime - 60_000);
    assert.equal(sessionIdFromCookie(cookie), null, "the cookie reader refuses it");
    assert.equal(await apiSession(withCookie(cookie)), null, "and so does the API");
    assert.equal(await db.session.count({ where: { id } }), 0, "which stores nothing for it");
    const young = mintSession(Date.now() - lifetime + 60_000);
    assert.equal(sessionIdFromCookie(young.cookie), young.id, "a minute before its end it is still the session");
  });

  it("a new cookie session's row ends when its cookie does", async () => {
    const issuedAt = Date.now() - 3_600_000;
    const { id, cookie } = mintSession(issuedAt);
    assert.equal((await apiSession(withCookie(cookie)))?.id, id);
    const { expiresAt } = await db.session.findUniqueOrThrow({ where: { id } });
    assert.equal(expiresAt?.getTime(), issuedAt + env().limits.sessionLifetimeMs);
  });

  it("a cookie of the format before issue times (`<id>.<signature>`) is no session", () => {
    const { id } = mintSession();
    const old = `${id}.${createHmac("sha256", env().sessionSecret).update(id).digest("base64url")}`;
    assert.equal(sessionIdFromCookie(old), null);
  });
});
