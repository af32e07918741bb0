import { apiRoute, otherMethods } from "@/lib/api/api-http.server";
import { listProducts } from "@/lib/orders/catalog.server";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => {
  const products = await listProducts();
  return Response.json({
    products: products.map((p) => ({ id: p.id, slug: p.slug, name: p.name, price: p.priceCents, currency: p.currency, stock: p.stock })),
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
