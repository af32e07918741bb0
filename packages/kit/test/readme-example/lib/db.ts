// The app's own database client, as far as the README's example uses it:
// declared, not made (the example only has to type-check). In an app this is
// the PrismaClient `prisma generate` made, with its driver adapter.
import type { PrismaClientLike } from "@payonce/kit/prisma";

type Order = { id: string; amountCents: number; refundReservedCents: number; paymentIntentId: string };
type Refund = { id: string; orderId: string; attemptId: string; amountCents: number; status: string; providerId: string | null };

type Delegates = {
  order: {
    findUnique(args: { where: { id: string } }): Promise<Order | null>;
    updateMany(args: {
      where: { id: string; refundReservedCents: { lte: number } };
      data: { refundReservedCents: { increment: number } };
    }): Promise<{ count: number }>;
  };
  refund: {
    create(args: { data: { orderId: string; attemptId: string; amountCents: number } }): Promise<Refund>;
    update(args: { where: { id: string }; data: Partial<Refund> }): Promise<Refund>;
    findUniqueOrThrow(args: { where: { attemptId: string } }): Promise<Refund>;
  };
};

export declare const db: Delegates & PrismaClientLike<Delegates>;
