import { otherMethods } from "@/lib/api/api-http.server";
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

export function GET() {
  return Response.json(openApiDocument());
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
