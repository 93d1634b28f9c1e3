import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { postMessage } from "./webhooks";

const http = httpRouter();

http.route({
  path: "/health",
  method: "GET",
  handler: httpAction(async () => new Response("ok")),
});

http.route({
  path: "/webhooks/message",
  method: "POST",
  handler: postMessage,
});

export default http;
