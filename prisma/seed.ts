// The catalog. Idempotent: products are upserted by slug, and stock is only
// set when a product is first created, so a second run changes nothing.
import { db } from "../lib/db/db.server";

const PRODUCTS = [
  { slug: "mug", name: "Enamel Camp Mug", priceCents: 1800, stock: 40, description: "Chip-resistant enamel, holds 350 ml of coffee at the trailhead." },
  { slug: "notebook", name: "Dot-Grid Notebook", priceCents: 1400, stock: 60, description: "A5, 160 pages of 100 gsm paper that fountain pens love." },
  { slug: "socks", name: "Merino Hiking Socks", priceCents: 2200, stock: 35, description: "Cushioned merino blend that stays warm when it is wet." },
  { slug: "bottle", name: "Steel Water Bottle", priceCents: 3200, stock: 25, description: "Double-walled, keeps water cold for 24 hours." },
  { slug: "tote", name: "Canvas Tote Bag", priceCents: 2600, stock: 50, description: "Heavy 16 oz canvas with an inside pocket." },
  { slug: "candle", name: "Cedar Soy Candle", priceCents: 2400, stock: 30, description: "Cedar and vetiver, about 45 hours of burn time." },
];

export async function seed() {
  for (const p of PRODUCTS) {
    const { stock, ...details } = p;
    const fields = { ...details, currency: "usd", image: `/products/${p.slug}.svg` };
    await db.product.upsert({ where: { slug: p.slug }, create: { ...fields, stock }, update: fields });
  }
  return PRODUCTS.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  seed()
    .then((n) => console.log(`seeded ${n} products`))
    .finally(() => db.$disconnect());
}
