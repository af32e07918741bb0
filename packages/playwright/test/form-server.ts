// A form with no protection at all, for the hammers' tests: every post to
// /submit counts one and is answered 303 → /done, so a test sees exactly how
// many posts the server got. /hydrate's button is "hydrated" by a script at a
// Next.js chunk's path (it attaches a fake React fiber), for holdScripts and
// hydrated. GET /count answers the count as JSON, for countAt.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const FORM = `<!doctype html><form method="post" action="/submit"><input name="email" value="a@example.com"><button>Send</button></form>`;
const HYDRATE = `<!doctype html><form method="post" action="/submit"><button id="send">Send</button></form><script async src="/_next/static/chunks/app.js"></script>`;
const SCRIPT = `document.getElementById("send")["__reactFiber$test"] = {}; document.body.dataset.ready = "yes";`;

export async function formServer() {
  let posts = 0;
  const server = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/submit") {
      posts++;
      req.resume();
      return req.on("end", () => res.writeHead(303, { Location: "/done" }).end());
    }
    const pages: Record<string, [string, string]> = {
      "/": ["text/html", FORM],
      "/hydrate": ["text/html", HYDRATE],
      "/done": ["text/html", "<!doctype html><p>Done</p>"],
      "/_next/static/chunks/app.js": ["text/javascript", SCRIPT],
      "/count": ["application/json", JSON.stringify({ count: posts })],
    };
    const page = pages[req.url ?? ""];
    if (!page) return res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": page[0], "Cache-Control": "no-store" }).end(page[1]);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    posts: () => posts,
    reset: () => (posts = 0),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
