"use client";
// Layer 1 and the browser's half of layer 2, for any form: the attempt key
// (kept in sessionStorage per form instance, so a reload resubmits with the
// same key; before hydration the server's key is used; replaced once an
// attempt reaches a final answer), and a lock taken on the first submit,
// before any network, released by the next answer. Double clicks and a second
// Enter never leave the page. A request that gets no answer (the network
// failed) unlocks the form with `failed` set and the same key, so sending it
// again resumes the same attempt.
// next/navigation.js, not next/navigation: `next` has no exports map, and Node (a test runner, SSR
// outside Next) resolves a subpath of it only with its extension; bundlers take either.
import { unstable_rethrow } from "next/navigation.js";
import { useActionState, useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { flushSync } from "react-dom";
import { attemptKey, startNewAttempt, subscribeToAttemptKeys } from "./attempt-storage.ts";
import { sentValues, type SubmitState } from "./form-state.ts";

type Options = {
  /** What one attempt is for (a cart, a form instance): its key is kept under this name. */
  scope: string;
  /** The key the server rendered, used until the page is hydrated. */
  serverKey: string;
};

/** The attempt key for `scope`; before hydration (or without JavaScript), the server's. */
export function useAttemptKey(scope: string, serverKey: string): string {
  return useSyncExternalStore(
    subscribeToAttemptKeys,
    () => attemptKey(scope),
    () => serverKey,
  );
}

const noSubscription = () => () => {};

/** False while the server renders and the page hydrates, true after. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

export function useSubmitOnce<State extends SubmitState>(
  action: (state: Awaited<State>, form: FormData) => Promise<State>,
  initial: Awaited<State>,
  { scope, serverKey }: Options,
) {
  const key = useAttemptKey(scope, serverKey);
  const send = useCallback(
    async (prev: Awaited<State>, form: FormData): Promise<State> => {
      try {
        return await action(prev, form);
      } catch (error) {
        unstable_rethrow(error); // a redirect is an answer
        return { ...prev, answer: prev.answer + 1, final: false, failed: true, values: sentValues(form) };
      }
    },
    [action],
  );
  // Until hydrated, the server action itself: React renders a form that works
  // without JavaScript only for a server action, not for a function around one.
  const [state, formAction, pending] = useActionState(useHydrated() ? send : action, initial);
  // The answer number at which the form was submitted: locked until the next answer.
  const [lockedAt, setLockedAt] = useState<number | null>(null);
  const submittedAt = useRef<number | null>(null);

  useEffect(() => {
    if (state.final) startNewAttempt(scope);
  }, [state, scope]);

  /** The form's onSubmit: the first submit goes, every other one before the answer is dropped. */
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    if (submittedAt.current === state.answer) {
      event.preventDefault();
      return;
    }
    submittedAt.current = state.answer;
    flushSync(() => setLockedAt(state.answer));
  }

  return { key, state, formAction, onSubmit, busy: pending || lockedAt === state.answer };
}
