// A client that hangs up mid-request is not the server's error: a form post
// cut off half-way, or sent whole and then reset before the answer (a browser
// dropping a plain-form Pay when Pay is clicked again), is at most one line in
// the server's output, never an uncaughtException or an `Error: aborted` trace.
// Under `next start` and `next dev` (lib/http/client-hang-ups.server.ts).
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { expect, test } from "@playwright/test";
import { HANG_UP_LINE } from "../lib/http/client-hang-ups.server";
import { instancePort } from "./app-instance";

const BODY = "form=checkout&email=a%40example.com&paymentMethod=pm_card_visa&cartId=none&returnTo=%2Fcheckout";

/** Sends a form post to `path` and hangs up: half-way through its body, or with all of it sent and then a reset. */
function hangUp(port: number, path: string, how: "mid-body" | "after-body") {
  return new Promise<void>((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      const body = how === "mid-body" ? BODY.slice(0, 20) : BODY;
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY.length}\r\n\r\n${body}`,
      );
      setTimeout(() => {
        if (how === "after-body") socket.resetAndDestroy();
        else socket.destroy();
        resolve();
      }, 100);
    });
    socket.on("error", () => resolve());
  });
}

for (const [mode, offset] of [
  ["start", 114],
  ["dev", 115],
] as const) {
  test.describe(`next ${mode}`, () => {
    test.describe.configure({ timeout: 180_000 });
    const port = instancePort(offset);
    let server: ChildProcess;
    let output = "";

    test.beforeAll(async () => {
      test.setTimeout(200_000); // a hook has the config's 60 s, not the describe's: too short for next dev on a loaded machine
      server = spawn(process.execPath, ["node_modules/next/dist/bin/next", mode, "-p", String(port), "-H", "127.0.0.1"], {
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
        detached: true,
      });
      server.stdout!.on("data", (d: Buffer) => (output += d));
      server.stderr!.on("data", (d: Buffer) => (output += d));
      const up = () =>
        fetch(`http://127.0.0.1:${port}/checkout`).then(
          (r) => r.status,
          () => 0,
        );
      // `next dev` compiles the page on its first request.
      await expect.poll(up, { timeout: 150_000, intervals: [1_000] }).toBe(200);
    });
    test.afterAll(() => {
      try {
        process.kill(-server.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    });

    test("form posts cut off mid-body, or reset after it: no uncaughtException, at most one line each", async () => {
      const before = output.length;
      const hangUps = [
        ["/forms/checkout", "mid-body"],
        ["/checkout", "mid-body"],
        ["/forms/checkout", "after-body"],
        ["/checkout", "after-body"],
      ] as const;
      for (const [path, how] of hangUps) await hangUp(port, path, how);
      // The server still answers, and has written what it had to say about them.
      await expect.poll(() => fetch(`http://127.0.0.1:${port}/checkout`).then((r) => r.status)).toBe(200);
      await new Promise((r) => setTimeout(r, 2_000));
      const said = output.slice(before);
      expect(said).not.toContain("uncaughtException");
      expect(said).not.toContain("Error: aborted");
      expect(said.split(HANG_UP_LINE).length - 1).toBeLessThanOrEqual(hangUps.length);
    });
  });
}
