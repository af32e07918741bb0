// The API's OpenAPI 3.1 document, generated from the same zod schemas that
// validate requests (zod's own JSON Schema output: 3.1 speaks JSON Schema).
import { z } from "zod";
import { createOrderSchema, nextActionSchema, orderSchema, problemSchema, productSchema } from "./api-schema";

const schema = (s: z.ZodType, io: "input" | "output" = "output") => z.toJSONSchema(s, { io, unrepresentable: "any" });
const json = (ref: string) => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});
const bearer = [{ session: [] }];

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "PayOnce API",
      version: "1.0.0",
      description: "Orders that are charged exactly once, however often a request is retried. Retry with the same Idempotency-Key.",
    },
    components: {
      securitySchemes: { session: { type: "http", scheme: "bearer", description: "A token from POST /api/sessions" } },
      schemas: {
        CreateOrder: schema(createOrderSchema, "input"),
        Order: schema(orderSchema),
        NextAction: schema(nextActionSchema),
        Product: schema(productSchema),
        Problem: schema(problemSchema),
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: true,
          description: "1 to 255 visible ASCII characters (or the same as a quoted structured-field string). Reuse it on every retry of this request.",
          schema: { type: "string", minLength: 1, maxLength: 257 },
        },
      },
    },
    paths: {
      "/api/sessions": {
        post: {
          summary: "Start a session",
          responses: {
            "201": {
              description: "The token (valid for SESSION_LIFETIME_DAYS, then 401)",
              content: { "application/json": { schema: { type: "object", properties: { token: { type: "string" } }, required: ["token"] } } },
            },
            "429": problemResponse("Too many new sessions from this address this hour (API_SESSIONS_PER_HOUR); see Retry-After"),
          },
        },
      },
      "/api/products": {
        get: {
          summary: "The catalog",
          responses: {
            "200": {
              description: "Products",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { products: { type: "array", items: { $ref: "#/components/schemas/Product" } } } },
                },
              },
            },
          },
        },
      },
      "/api/orders": {
        post: {
          summary: "Create and pay an order, exactly once per Idempotency-Key",
          security: bearer,
          parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
          requestBody: { required: true, ...json("CreateOrder") },
          responses: {
            "201": { description: "Paid. A replay has the header Idempotent-Replayed: true.", ...wrapOrder() },
            "202": {
              description:
                "Not paid yet: the bank asks the customer to authenticate (3-D Secure) at `nextAction.url`, or the payment is still processing. " +
                "A replay returns this same first answer even after the payment finished; GET /api/orders/{id} shows where the order stands.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { order: { $ref: "#/components/schemas/Order" }, nextAction: { $ref: "#/components/schemas/NextAction" } },
                    required: ["order"],
                  },
                },
              },
            },
            "400": problemResponse(
              "Missing or malformed key, or an invalid body (field errors in `errors`; an order past the units one session may hold unpaid, by itself, too); nothing stored",
            ),
            "401": problemResponse("No valid session"),
            "402": problemResponse("Card declined: final, stored and replayed; retry with a new key"),
            "409": problemResponse("The first request with this key is still running (see Retry-After), or an item is out of stock (final)"),
            "413": problemResponse("Body too large"),
            "422": problemResponse("This key was used with a different request"),
            "429": problemResponse(
              "The order would take this session or address past the units it may hold unpaid (hold-limit); nothing stored, see Retry-After",
            ),
            "502": problemResponse("The payment service failed; retry with the same key to resume"),
            "503": problemResponse("The payment service is unreachable, or our database is busy or down (see Retry-After); retry with the same key to resume"),
          },
        },
      },
      "/api/orders/{id}": {
        get: {
          summary: "One of your orders",
          security: bearer,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The order", ...wrapOrder() },
            "404": problemResponse("Not yours, or no such order"),
            "503": problemResponse("Our database is busy or down; retry after Retry-After"),
          },
        },
      },
    },
  };
}

function wrapOrder() {
  return {
    content: { "application/json": { schema: { type: "object", properties: { order: { $ref: "#/components/schemas/Order" } }, required: ["order"] } } },
  };
}
