// The app's payment service client, as the README's example uses it: declared, not made.
export declare class PaymentServiceDown extends Error {}

export declare const payments: {
  refunds: { create(params: { payment_intent: string; amount: number }, options: { idempotencyKey: string }): Promise<{ id: string }> };
};
