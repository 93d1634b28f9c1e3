import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import { httpAction } from "./_generated/server";

/** Lets an integration post a message: `POST /webhooks/message` with a bearer token. */
export const postMessage = httpAction(async (ctx, request) => {
  if (request.headers.get("Authorization") !== `Bearer ${process.env.WEBHOOK_TOKEN}`) {
    return new Response("Unauthorized", { status: 401 });
  }
  const { channel, author, body } = (await request.json()) as {
    channel: Id<"channels">;
    author: Id<"users">;
    body: string;
  };
  const id = await ctx.runMutation(internal.messages.postAs, { channel, author, body });
  return Response.json({ id }, { status: 201 });
});
