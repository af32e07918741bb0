// The shop the campaign attacks, as production runs it: app instances
// (`next start`) and a worker on one database, and the local Stripe server
// (started by scripts/scratch-env.ts). Each process can be killed as
// `kill -9` would and started again; on PostgreSQL the database itself can be
// "restarted" (every connection cut, new ones refused for a moment).
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { SERVER_NODE_ARGS } from "../node-args";
import { root } from "../scratch-env";

const answers = (base: string) =>
  fetch(`${base}/api/products`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.ok,
    () => false,
  );

class Process {
  private child: ChildProcess | null = null;
  /** Exits nobody asked for: a fault the process should have survived ended it. */
  readonly deaths: string[] = [];
  constructor(
    readonly name: string,
    private readonly command: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDir: string,
  ) {}

  get running() {
    return this.child !== null;
  }

  start() {
    const log = path.join(this.logDir, `${this.name}.log`);
    const child = spawn(process.execPath, this.command, {
      cwd: root,
      env: this.env,
      stdio: ["ignore", openSync(log, "a"), openSync(log, "a")],
      detached: true, // its own process group: killing it kills all it started
    });
    this.child = child;
    // A killed process's exit may come after its successor started: it must not forget the successor.
    child.once("exit", (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      this.deaths.push(`${this.name} exited by itself (${signal ?? `code ${code}`}) at ${new Date().toISOString().slice(11, 23)}; its log: ${log}`);
    });
  }

  /** As `kill -9`: no shutdown, no goodbye. */
  kill() {
    if (!this.child) return;
    try {
      process.kill(-this.child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
    this.child = null;
  }
}

export class Cluster {
  readonly apps: { base: string; process: Process }[];
  readonly worker: Process;

  /** Each process appends its output to `<logDir>/<its name>.log` (app-3240, worker). */
  constructor(ports: number[], env: NodeJS.ProcessEnv, logDir: string) {
    const appEnv = { ...env, NEXT_TELEMETRY_DISABLED: "1" };
    this.apps = ports.map((port) => ({
      base: `http://127.0.0.1:${port}`,
      process: new Process(`app-${port}`, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], appEnv, logDir),
    }));
    this.worker = new Process("worker", [...SERVER_NODE_ARGS, "scripts/worker.ts"], env, logDir);
  }

  async start() {
    for (const app of this.apps) if (await answers(app.base)) throw new Error(`${app.base} is taken (an app left over?); stop it and run again`);
    this.apps.forEach((app) => app.process.start());
    this.worker.start();
    await Promise.all(this.apps.map((app) => this.ready(app.base)));
  }

  async ready(base: string, timeoutMs = 60_000) {
    const until = Date.now() + timeoutMs;
    while (!(await answers(base))) {
      if (Date.now() > until) throw new Error(`${base} did not start`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async startApp(index: number) {
    const app = this.apps[index]!;
    app.process.start();
    await this.ready(app.base);
  }

  /** Every process up again (after the faults stop). */
  async heal() {
    for (const app of this.apps) if (!app.process.running) app.process.start();
    if (!this.worker.running) this.worker.start();
    await Promise.all(this.apps.map((app) => this.ready(app.base)));
  }

  /** The processes, for the invariant that only the campaign ends them. */
  get processes(): Process[] {
    return [...this.apps.map((app) => app.process), this.worker];
  }

  stop() {
    this.apps.forEach((app) => app.process.kill());
    this.worker.kill();
  }
}

/**
 * PostgreSQL "restarts" for our database alone: every connection to it is
 * cut and new ones are refused for `downMs`, as in a restart, without
 * touching the server other databases (and CI) share.
 */
export async function restartDatabase(databaseUrl: string, downMs: number) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
    await new Promise((r) => setTimeout(r, downMs));
  } finally {
    await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await client.end();
  }
}
