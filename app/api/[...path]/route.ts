// Any other path under /api/: a problem+json 404 for every method, not the
// storefront's HTML page.
import { problem } from "@/lib/api/problem";

const notFound = async () => problem(404, "not-found", "No such API resource. See /api/openapi.json.");

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
