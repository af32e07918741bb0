import "server-only";
import { db } from "../db/db.server";

export const listProducts = () => db.product.findMany({ orderBy: { id: "asc" } });
