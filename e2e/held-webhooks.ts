// Webhooks at a moment a story chooses: the local Stripe server's deliveries
// are taken in the app's place and handed on to the app, exactly as signed,
// only once a condition holds (say: the order's fulfillment has run). A story
// that needs the webhook to come after something then does not depend on how
// fast the machine is.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "@playwright/test";
import { STRIPE } from "../tests/local-stripe-control";
import { BACKGROUND_WORK_MS } from "./background-work";

async function setWebhookEndpoints(urls: string[]) {
  const response = await fetch(`${STRIPE}/_control/webhooks`, { method: "POST", body: JSON.stringify({ endpoints: urls.map((url) => ({ url })) }) });
  if (!response.ok) throw new Error(`local Stripe webhooks: ${response.status} ${await response.text()}`);
}

/**
 * Holds every webhook delivery until `until()` is true (within the background
 * budget), then hands it to the app. The local Stripe server is answered at
 * once, so it neither times out nor retries. Call `stop()` in a finally.
 */
export async function holdWebhooks(until: () => Promise<boolean>) {
  const { endpoints } = (await (await fetch(`${STRIPE}/_control/webhooks`)).json()) as { endpoints: { url: string }[] };
  const app = endpoints.map((e) => e.url);
  const handOns: Promise<void>[] = [];
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      res.end();
      const handOn = (async () => {
        await expect.poll(until, { timeout: BACKGROUND_WORK_MS }).toBe(true);
        const headers = { "Content-Type": "application/json", "Stripe-Signature": String(req.headers["stripe-signature"]) };
        for (const url of app) {
          const answer = await fetch(url, { method: "POST", headers, body: Buffer.concat(chunks) });
          if (!answer.ok) throw new Error(`the app answered a held webhook with ${answer.status}`);
        }
      })();
      handOn.catch(() => {}); // reported by handedOn(); not an unhandled rejection if the test ended first
      handOns.push(handOn);
    });
  });
  proxy.listen(0, "127.0.0.1");
  await once(proxy, "listening");
  await setWebhookEndpoints([`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`]);
  return {
    /** Resolves once every delivery held so far has reached the app (and the app has answered it). */
    handedOn: () => Promise.all(handOns).then(() => {}),
    /** The app is the endpoint again; deliveries still held are handed on when their condition holds, as before. */
    async stop() {
      await setWebhookEndpoints(app);
      proxy.close();
    },
  };
}
