// Tests of the demo: a session whose switches are stored on its row, as the
// lab's panel stores them (where the policies by order read them: webhooks,
// the return page, the worker), and the policy its own operations are handed,
// as app/ hands it in (lib/demo/policy.server.ts).
import type { Protections } from "../lib/demo/protections";
import { policyOf } from "../lib/demo/policy.server";
import { newSession } from "./helpers";
import { switchLayers } from "./session-rows";

export async function demoSession(protections: Protections) {
  const session = await newSession();
  await switchLayers(session.id, protections);
  return { session, policy: policyOf(protections) };
}
