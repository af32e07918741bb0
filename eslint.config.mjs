import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  // Playwright fixtures call `use`, which is not React's hook.
  { files: ["e2e/**", "packages/playwright/src/fixtures.ts"], rules: { "react-hooks/rules-of-hooks": "off" } },
  // The shop uses its packages by their names only (as any app would, from npm).
  {
    files: ["**/*.{ts,tsx,mjs,js}"],
    ignores: ["packages/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "(^|/)packages/", message: "Import a workspace package by its name (@payonce/kit…), not by its path." }] },
      ],
    },
  },
  // The demo enters at the edge (decision 0014): lib/ takes a policy and crash hooks as arguments,
  // and only app/, scripts/ and the tests read lib/demo/. (The rule above, repeated: a later block
  // with the same rule replaces it.)
  {
    files: ["lib/**"],
    ignores: ["lib/demo/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "(^|/)packages/", message: "Import a workspace package by its name (@payonce/kit…), not by its path." },
            { regex: "(^|/)demo/", message: "lib/ takes the demo's switches as arguments (lib/policy.ts); app/ and scripts/ read lib/demo/." },
          ],
        },
      ],
    },
  },
  // The kit knows nothing of the shop: everything it needs is an argument. (The README's example
  // is an app of its own: its lib/ and app/ are its files, not the shop's.)
  {
    files: ["packages/**"],
    ignores: ["packages/kit/test/readme-example/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^@/", message: "The kit imports nothing of the shop." },
            { regex: "^(\\.\\./)+(lib|app|generated|prisma|scripts|tests|e2e)(/|$)", message: "The kit imports nothing of the shop." },
          ],
        },
      ],
    },
  },
  // The local Stripe server knows nothing of the shop, nor of the kit: its
  // tarball installs alone from the npm registry. (The rule above, repeated.)
  {
    files: ["packages/stripe-local/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^@/", message: "The local Stripe server imports nothing of the shop." },
            { regex: "^(\\.\\./)+(lib|app|generated|prisma|scripts|tests|e2e)(/|$)", message: "The local Stripe server imports nothing of the shop." },
            { regex: "^@payonce/", message: "The local Stripe server depends on no other PayOnce package: its tarball installs alone." },
          ],
        },
      ],
    },
  },
  {
    ignores: [
      "generated/**",
      "dist/**",
      ".next/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "packages/*/dist/**",
      "packages/*/test/generated/**",
      "examples/*/.next/**",
      "examples/*/generated/**",
    ],
  },
];

export default config;
