import Image from "next/image";
import { AddToCart } from "@/app/components/add-to-cart";
import { listProducts } from "@/lib/orders/catalog.server";
import { formatMoney } from "@/lib/money";

export const dynamic = "force-dynamic";

export default async function CatalogPage() {
  const products = await listProducts();
  return (
    <>
      <h1>Shop</h1>
      <div className="grid">
        {products.map((p) => (
          <article key={p.id} className="card product" data-testid={`product-${p.slug}`}>
            <Image src={p.image} alt="" width={300} height={300} unoptimized priority={p.id <= 3} />
            <h2>{p.name}</h2>
            <p>{p.description}</p>
            <div className="row">
              <span className="price">{formatMoney(p.priceCents, p.currency)}</span>
              <span className="muted small">{p.stock > 0 ? `${p.stock} in stock` : "sold out"}</span>
            </div>
            <div style={{ marginTop: "0.75rem" }}>
              <AddToCart productId={p.id} name={p.name} soldOut={p.stock === 0} />
            </div>
          </article>
        ))}
      </div>
    </>
  );
}
