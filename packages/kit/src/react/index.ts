// @payonce/kit/react: the browser's half: a form that submits once per
// attempt, and the attempt key kept per scope across reloads.
export type { FormReply } from "../form-reply.ts";
export { attemptKey, forgetAttempt, startNewAttempt, subscribeToAttemptKeys } from "./attempt-storage.ts";
export { answered, INITIAL_FORM_STATE, sentValues, type FormState, type SubmitState } from "./form-state.ts";
export { FAILED_MESSAGE, FieldError, FormStatus, SubmitOnceForm, type SubmitOnceFormProps } from "./submit-once-form.tsx";
export { useAttemptKey, useSubmitOnce } from "./use-submit-once.ts";
