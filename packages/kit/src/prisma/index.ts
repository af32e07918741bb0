// @payonce/kit/prisma: the attempt store on the app's own Prisma client (the
// model to paste is @payonce/kit/attempt.prisma).
export { prismaStore, type PrismaClientLike, type PrismaStoreOptions } from "./store.ts";
