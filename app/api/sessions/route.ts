import { apiRoute, otherMethods } from "@/lib/api/api-http.server";
import { createApiSession } from "@/lib/api/api-session.server";
import { clientAddress } from "@/lib/http/client-address.server";
import { env } from "@/lib/env.server";
import { problem } from "@/lib/api/problem";
import { countHit } from "@/lib/http/rate-limit.server";

/**
 * A new API session: its token scopes the caller's idempotency keys and
 * orders, and ends after SESSION_LIFETIME_DAYS. At most API_SESSIONS_PER_HOUR
 * per client address (counted in the database, across app instances).
 */
export const POST = apiRoute(async (request) => {
  const limit = env().limits.apiSessionsPerHour;
  const { hits, retryAfterSeconds } = await countHit("api-sessions", clientAddress(request.headers), 3600_000);
  if (hits > limit) {
    return problem(
      429,
      "too-many-requests",
      `At most ${limit} new sessions an hour from one address: reuse your token, or retry after Retry-After seconds.`,
      {},
      { "Retry-After": String(retryAfterSeconds) },
    );
  }
  return Response.json({ token: await createApiSession() }, { status: 201 });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
