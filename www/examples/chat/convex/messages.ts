import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { internalMutation, mutation, query } from "./_generated/server";
import { requireMembership, requireUser } from "./lib/auth";
import { attachment } from "./lib/validators";

/** A channel's messages, newest first, a page at a time (`usePaginatedQuery`). */
export const list = query({
  args: { channel: v.id("channels"), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { channel, paginationOpts }) => {
    const user = await requireUser(ctx);
    await requireMembership(ctx, user._id, channel);
    return await ctx.db
      .query("messages")
      .withIndex("by_channel", (q) => q.eq("channel", channel))
      .order("desc")
      .paginate(paginationOpts);
  },
});

export const search = query({
  args: { channel: v.id("channels"), text: v.string() },
  handler: async (ctx, { channel, text }) => {
    const user = await requireUser(ctx);
    await requireMembership(ctx, user._id, channel);
    return await ctx.db
      .query("messages")
      .withSearchIndex("search_body", (q) => q.search("body", text).eq("channel", channel))
      .take(20);
  },
});

export const send = mutation({
  args: {
    channel: v.id("channels"),
    body: v.string(),
    attachments: v.optional(v.array(attachment)),
  },
  returns: v.id("messages"),
  handler: async (ctx, { channel, body, attachments }) => {
    const user = await requireUser(ctx);
    await requireMembership(ctx, user._id, channel);
    return await ctx.db.insert("messages", {
      channel,
      author: user._id,
      body,
      attachments: attachments ?? [],
    });
  },
});

/** Posts on behalf of a user, for integrations (see `webhooks.ts`). */
export const postAs = internalMutation({
  args: { channel: v.id("channels"), author: v.id("users"), body: v.string() },
  returns: v.id("messages"),
  handler: async (ctx, { channel, author, body }) => {
    await requireMembership(ctx, author, channel);
    return await ctx.db.insert("messages", { channel, author, body, attachments: [] });
  },
});
