import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { setProtectionsAction } from "@/app/actions";
import { env } from "@/lib/env.server";
import { providerFaults } from "@/lib/demo/lab.server";
import { isFullyProtected, LAYERS, type Protections } from "@/lib/demo/protections";
import { sessionProtections } from "@/lib/demo/protections.server";
import { CRASH_POINT_LABELS, STORIES, storyById, storyLine, type Story } from "@/lib/demo/stories";
import { CRASH_POINTS } from "@/lib/orders/crash-points";
import { armedCrash } from "@/lib/demo/crash.server";
import type { FailureMode, FaultsSnapshot } from "@payonce/stripe-local/faults";
import { currentSessionId, sessionRefusalMessage } from "@/lib/sessions/session.server";
import { addMugAction, armCrashAction, resetLabAction, setFaultsAction, startStoryAction } from "./actions";
import { StartOverForm } from "./pay-clicks";

export const metadata: Metadata = { title: "Lab" };
export const dynamic = "force-dynamic";

const FAILURES: Record<FailureMode, string> = {
  "500": "fail before any work (a 500, nothing stored)",
  "500_stored": "fail before any work, and store the 500 (every retry with the key gets it)",
  "500_stored_after_work": "charge, then fail and store the 500 (Stripe's indeterminate error)",
  drop: "drop the connection before any work",
  commit_then_drop: "charge, then drop the connection (the lost response)",
};

const ERRORS: Record<string, string> = {
  stripe: "The local Stripe server did not answer. Is `npm run dev` running?",
  story: "No such story.",
  faults: "Those settings are out of range; nothing was changed.",
  crash: "No such crash point; nothing was armed.",
  cart: "The mug could not go in the cart (out of stock, or as many as one order may have are in it already).",
  refused: "That was refused. Reload the page and try again.",
};

const layersOff = (p: Protections) => LAYERS.filter((l) => !p[l.id]).map((l) => l.label);

function StoryPromiseLine({ story }: { story: Story }) {
  return (
    <p data-testid="story-promise">
      <b>{storyLine(story)}</b>
    </p>
  );
}

export default async function LabPage({
  searchParams,
}: {
  searchParams: Promise<{ story?: string; error?: string; reset?: string; refused?: string; minutes?: string }>;
}) {
  if (!env().demoTools) notFound();
  const params = await searchParams;
  const sessionId = await currentSessionId();
  const [protections, faults, crash] = await Promise.all([sessionProtections(sessionId), providerFaults().catch(() => null), armedCrash(sessionId)]);
  const current = params.story ? storyById(params.story) : undefined;
  const error = sessionRefusalMessage(params) ?? (params.error ? (ERRORS[params.error] ?? null) : null);

  return (
    <div className="stack">
      <h1>Lab</h1>
      <p className="muted">
        Watch the bug, then the fix. Pick a story: it starts this session from zero, switches the layers and the payment provider&apos;s faults, and tells you
        what to click and what the <Link href="/ledger">ledger</Link> will show. Local mode only.
      </p>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {params.reset && <p className="notice ok">Started over: this session has no orders, and the local Stripe server holds nothing.</p>}

      {current && (
        <section className="card" id="now" aria-labelledby="now-heading" data-testid="current-story">
          <h2 id="now-heading" style={{ marginTop: 0 }}>
            Now: {current.title}
          </h2>
          <ol>
            <li>
              <form action={addMugAction} className="inline-form">
                <button type="submit">Put the mug in the cart and go to the checkout</button>
              </form>
            </li>
            <li>
              {current.payAgainIfUnanswered ? (
                <>
                  Click <b>Pay</b> once. If the page says the payment service did not answer, click <b>Pay</b> again.
                </>
              ) : (
                <>
                  Click <b>Pay</b> {current.clicks === 1 ? "once" : `${current.clicks} times, quickly`}.
                </>
              )}
            </li>
            <li>
              Open the <Link href="/ledger">ledger</Link>. It should say:
            </li>
          </ol>
          <StoryPromiseLine story={current} />
          <p className="muted">{current.caughtBy}</p>
        </section>
      )}

      <h2>Stories</h2>
      <div className="grid">
        {STORIES.map((story) => (
          <article key={story.id} className="card" data-testid={`story-${story.id}`}>
            <h3 style={{ marginTop: 0 }}>{story.title}</h3>
            <p className="small muted">
              Layers off: {layersOff(story.protections).join(", ") || "none"}.
              {story.faults.latencyMs > 0 && ` Stripe answers after ${story.faults.latencyMs / 1000} s.`}
              {story.faults.createFails && ` The next PaymentIntent: ${FAILURES[story.faults.createFails.mode]}.`}
              {story.faults.webhookCopies && ` Webhooks ×${story.faults.webhookCopies}, shuffled.`}
              {story.faults.webhookDelayMs && ` Webhooks ${story.faults.webhookDelayMs / 1000} s late.`}
            </p>
            <StoryPromiseLine story={story} />
            <StartOverForm action={startStoryAction}>
              <input type="hidden" name="story" value={story.id} />
              <button type="submit" aria-label={`Start the story: ${story.title}`}>
                Start this story
              </button>
            </StartOverForm>
          </article>
        ))}
      </div>

      <section className="card switches" aria-labelledby="layers-heading">
        <h2 id="layers-heading" style={{ marginTop: 0 }}>
          Layers for this session {isFullyProtected(protections) ? <span className="badge paid">all on</span> : <span className="badge failed">some off</span>}
        </h2>
        <p className="muted small">Switch a layer off, click Pay a few times, and watch the duplicates appear on the ledger.</p>
        <form action={setProtectionsAction}>
          {LAYERS.map((layer) => (
            <label key={layer.id}>
              <input type="checkbox" name={layer.id} defaultChecked={protections[layer.id]} />
              <span>
                <b>{layer.label}</b>
                <span className="muted small">{layer.detail}</span>
              </span>
            </label>
          ))}
          <div className="row" style={{ justifyContent: "flex-start", marginTop: "0.75rem" }}>
            <button type="submit">Save</button>
            <button type="submit" name="preset" value="off" className="secondary">
              Unprotected (all off)
            </button>
            <button type="submit" name="preset" value="on" className="secondary">
              Protected (all on)
            </button>
          </div>
        </form>
      </section>

      <section className="card" id="server" aria-labelledby="server-heading">
        <h2 id="server-heading" style={{ marginTop: 0 }}>
          Our server
        </h2>
        {process.env.NODE_ENV === "development" ? (
          <>
            <p className="muted small">
              Your next checkout dies at the point you pick, as <code>kill -9</code> would, and <code>npm run dev</code> starts the server again by itself. Come
              back to the checkout and press Pay again: it waits until the dead attempt&apos;s lease runs out ({env().idempotency.leaseMs / 1000} s) and resumes
              it where it stopped. After Stripe charged: <b>2 clicks → 2 requests → 1 order → 1 charge</b>; with every layer off, 2 orders and 2 charges. (If
              Stripe&apos;s webhook comes first, it pays the order, and the completer finishes the attempt.)
            </p>
            {crash && (
              <p className="notice warn" data-testid="armed-crash">
                Armed: your next checkout dies {CRASH_POINT_LABELS[crash as keyof typeof CRASH_POINT_LABELS] ?? crash}.
              </p>
            )}
            <form action={armCrashAction} className="row" style={{ justifyContent: "flex-start" }}>
              <label htmlFor="crash-point">Crash the next checkout</label>
              <select id="crash-point" name="point" defaultValue={crash ?? "charge_sent"}>
                {CRASH_POINTS.map((point) => (
                  <option key={point} value={point}>
                    {CRASH_POINT_LABELS[point]}
                  </option>
                ))}
              </select>
              <button type="submit">Arm</button>
              {crash && (
                <button type="submit" name="point" value="none" className="secondary">
                  Disarm
                </button>
              )}
            </form>
          </>
        ) : (
          <p className="muted small">
            Crashing the server needs <code>npm run dev</code>, which starts it again by itself; a production server (<code>npm start</code>) would stay down.
          </p>
        )}
      </section>

      <section className="card" id="provider" aria-labelledby="provider-heading">
        <h2 id="provider-heading" style={{ marginTop: 0 }}>
          Payment provider
        </h2>
        {faults ? <ProviderForm faults={faults} /> : <p className="notice error">The local Stripe server did not answer.</p>}
      </section>

      <section className="card" aria-labelledby="reset-heading">
        <h2 id="reset-heading" style={{ marginTop: 0 }}>
          Start over
        </h2>
        <p className="muted small">
          Clears this session&apos;s orders, attempts and their effects (their units go back to stock), the local Stripe server&apos;s account, faults and
          webhook deliveries. Your layers stay as they are.
        </p>
        <StartOverForm action={resetLabAction}>
          <button type="submit" className="secondary">
            Reset
          </button>
        </StartOverForm>
      </section>
    </div>
  );
}

function ProviderForm({ faults }: { faults: FaultsSnapshot }) {
  const armed = faults.failures.find((f) => f.path === "/v1/payment_intents");
  return (
    <form action={setFaultsAction} className="stack">
      <fieldset>
        <legend>Latency of every Stripe call</legend>
        {[
          [0, "instant"],
          [1000, "realistic (1 s)"],
          [3000, "slow (3 s)"],
        ].map(([ms, label]) => (
          <label className="radio" key={ms}>
            <input type="radio" name="latencyMs" value={ms} defaultChecked={faults.latencyMs === ms} /> {label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>The next PaymentIntents created</legend>
        <label htmlFor="failMode">What Stripe does</label>
        <select id="failMode" name="failMode" defaultValue={armed?.mode ?? "none"}>
          <option value="none">answer normally</option>
          {Object.entries(FAILURES).map(([mode, label]) => (
            <option key={mode} value={mode}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="failCount">How many calls in a row</label>
        <select id="failCount" name="failCount" defaultValue={String(armed?.remaining ?? 1)}>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </fieldset>
      <fieldset>
        <legend>Webhooks</legend>
        <label htmlFor="webhookCopies">Each event delivered</label>
        <select id="webhookCopies" name="webhookCopies" defaultValue={String(faults.webhooks.duplicates + 1)}>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              ×{n}
            </option>
          ))}
        </select>
        <label className="radio">
          <input type="radio" name="webhookDelayMs" value="0" defaultChecked={faults.webhooks.delayMs === 0} /> at once
        </label>
        <label className="radio">
          <input type="radio" name="webhookDelayMs" value="3000" defaultChecked={faults.webhooks.delayMs > 0} /> 3 s late
        </label>
        <label className="radio">
          <input type="checkbox" name="webhookShuffle" defaultChecked={faults.webhooks.shuffle} /> shuffled (out of order)
        </label>
      </fieldset>
      <div>
        <button type="submit">Apply</button>
      </div>
    </form>
  );
}
