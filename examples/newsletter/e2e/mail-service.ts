// A fake mail service for the app's welcome e-mails (MAIL_URL): it records
// each request's Idempotency-Key and recipient, and can hold the next one
// until the test lets it go (a foreign call still running).
import { createServer, type Server } from "node:http";

export type Mail = { key: string; to: string };

export class MailService {
  readonly received: Mail[] = [];
  private server: Server | null = null;
  private held: { arrived: () => void; released: Promise<void> } | null = null;

  async start(port: number) {
    this.server = createServer(async (request, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      this.received.push({ key: String(request.headers["idempotency-key"]), to: (JSON.parse(body) as { to: string }).to });
      const held = this.held;
      this.held = null;
      if (held) {
        held.arrived();
        await held.released;
      }
      response.writeHead(202).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
  }

  /** Holds the next e-mail: `arrived` resolves when it came, and it is answered on `release()`. */
  holdNext(): { arrived: Promise<void>; release: () => void } {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    this.held = { arrived, released };
    return { arrived: arrival, release };
  }

  async stop() {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
