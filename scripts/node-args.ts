// How PayOnce's own Node processes (worker, scripts, tests, the local Stripe
// server) run lib: tsx for the TypeScript, and the `react-server` export
// condition, under which `import "server-only"` (at the top of every
// lib/*.server.ts) is the empty module it is in Next's server bundles. Never
// for `next build` or `next start`: the condition also swaps React for its
// server build. docs/decisions/0005-server-only-under-react-server.md.
export const SERVER_NODE_ARGS = ["--conditions=react-server", "--import", "tsx"];
