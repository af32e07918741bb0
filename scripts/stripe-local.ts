// `npm run stripe:local` (and the `stripe` process of `npm run dev`, `npm
// start` and the test runs): payonce-stripe, the package's command, run in
// this process with the flags the shop's settings make (stripe-local-args.ts).
//
//   tsx --conditions=react-server scripts/stripe-local.ts
import { main } from "@payonce/stripe-local";
import { stripeLocalArgs } from "./stripe-local-args";

process.exitCode = await main(stripeLocalArgs(process.env));
