"use client";
// A review of one product of a paid order, protected like the Pay form: the
// kit's useSubmitOnce() locks on the first submit and owns the attempt key.
import { reviewAction, type ReviewState } from "./review-action";
import { useAttemptKey, useSubmitOnce } from "@/lib/use-submit-once";

const INITIAL: ReviewState = { answer: 0, final: false };

type Props = { orderId: string; productId: number; productName: string; serverKey: string; uiGuard: boolean; notice?: string };

export function ReviewForm(props: Props) {
  return props.uiGuard ? <GuardedReviewForm {...props} /> : <PlainReviewForm {...props} />;
}

function GuardedReviewForm({ orderId, productId, productName, serverKey }: Props) {
  const { key, state, formAction, onSubmit, busy } = useSubmitOnce(reviewAction, INITIAL, { scope: `review:${orderId}:${productId}`, serverKey });
  return (
    <form action={formAction} onSubmit={onSubmit} className="card" noValidate data-testid={`review-form-${productId}`}>
      <Fields orderId={orderId} productId={productId} productName={productName} attemptKey={key} state={state} busy={busy} />
    </form>
  );
}

/** Demo mode with the UI guard off: an ordinary HTML form the browser posts on every click. */
function PlainReviewForm({ orderId, productId, productName, serverKey, notice }: Props) {
  const key = useAttemptKey(`review:${orderId}:${productId}`, serverKey);
  return (
    <form method="post" action={`/orders/${orderId}/review`} className="card" noValidate data-testid={`review-form-${productId}`}>
      <Fields orderId={orderId} productId={productId} productName={productName} attemptKey={key} state={{ ...INITIAL, message: notice }} busy={false} />
    </form>
  );
}

function Fields({
  orderId,
  productId,
  productName,
  attemptKey,
  state,
  busy,
}: {
  orderId: string;
  productId: number;
  productName: string;
  attemptKey: string;
  state: ReviewState;
  busy: boolean;
}) {
  const errors = state.fieldErrors ?? {};
  return (
    <>
      <h3 style={{ marginTop: 0 }}>Review {productName}</h3>
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="idempotencyKey" value={attemptKey} />
      <label htmlFor={`rating-${productId}`}>Stars</label>
      <select id={`rating-${productId}`} name="rating" defaultValue="5" aria-invalid={!!errors.rating}>
        {[5, 4, 3, 2, 1].map((n) => (
          <option key={n} value={n}>
            {"★".repeat(n)}
          </option>
        ))}
      </select>
      <label htmlFor={`text-${productId}`}>Your review</label>
      <textarea id={`text-${productId}`} name="text" rows={3} aria-invalid={!!errors.text} />
      {errors.text && <p className="field-error">{errors.text[0]}</p>}
      <div style={{ marginTop: "0.8rem" }}>
        <button type="submit" disabled={busy} aria-busy={busy} data-testid={`review-${productId}`}>
          {busy ? "Sending…" : "Send review"}
        </button>
      </div>
      {/* Below the button, so a message never moves it. */}
      <div role="status" aria-live="polite" style={{ marginTop: "0.8rem" }}>
        {state.message && <p className={`notice ${state.status === "reviewed" ? "ok" : "warn"}`}>{state.message}</p>}
      </div>
    </>
  );
}
