import { db } from "./db.server";

export const listProducts = () => db.product.findMany({ orderBy: { id: "asc" } });

export const productBySlug = (slug: string) => db.product.findUnique({ where: { slug } });
