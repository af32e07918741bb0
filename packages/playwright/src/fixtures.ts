// Playwright fixtures for a suite that pays through the local Stripe server:
// one server per worker (a free port, so workers and suites never share one),
// its URL, and a StripeControl reset before every test, so that no test sees
// another's payments or faults. Merge them with the suite's own (mergeTests).
import { test } from "@playwright/test";
import { start, type StartOptions } from "@payonce/stripe-local";
import { StripeControl } from "./stripe-control.ts";

export type StripeWorkerFixtures = {
  /** start()'s options for the worker's server (an option: `test.use({ stripeServerOptions: … })` at the top of a file, or in the config). Port 0 (a free one) and no log by default. */
  stripeServerOptions: StartOptions;
  /** The worker's server: its URL (http://127.0.0.1:port) and port. */
  stripeServer: { url: string; port: number };
};

export type StripeTestFixtures = {
  /** The worker's server's URL, for the app's or the SDK's configuration. */
  stripeUrl: string;
  /** The control API of the worker's server, reset before the test. */
  stripe: StripeControl;
};

export const stripeTest = test.extend<StripeTestFixtures, StripeWorkerFixtures>({
  stripeServerOptions: [{}, { scope: "worker", option: true }],
  stripeServer: [
    async ({ stripeServerOptions }, use) => {
      const server = await start({ port: 0, log: () => {}, ...stripeServerOptions });
      await use({ url: server.url, port: server.port });
      await server.close();
    },
    { scope: "worker" },
  ],
  stripeUrl: async ({ stripeServer }, use) => use(stripeServer.url),
  stripe: async ({ stripeServer }, use) => {
    const control = new StripeControl(stripeServer.url);
    await control.reset();
    await use(control);
  },
});
