import { ConvexError, v } from "convex/values";
import { internalMutation, mutation, query } from "./_generated/server";
import { requireUser } from "./lib/auth";
import { channelSummary } from "./lib/validators";

const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

/** The channels the signed-in user belongs to. */
export const mine = query({
  args: {},
  returns: v.array(channelSummary),
  handler: async (ctx) => {
    const user = await requireUser(ctx);
    const memberships = await ctx.db
      .query("memberships")
      .withIndex("by_user_and_channel", (q) => q.eq("user", user._id))
      .collect();
    const channels = await Promise.all(
      memberships.map(async ({ channel, role }) => {
        const doc = await ctx.db.get("channels", channel);
        return doc === null || doc.deletedAt !== undefined
          ? null
          : { _id: doc._id, name: doc.name, topic: doc.topic, role };
      }),
    );
    return channels.filter((channel) => channel !== null);
  },
});

export const create = mutation({
  args: { name: v.string(), topic: v.optional(v.string()) },
  returns: v.id("channels"),
  handler: async (ctx, { name, topic }) => {
    const user = await requireUser(ctx);
    const taken = await ctx.db
      .query("channels")
      .withIndex("by_name", (q) => q.eq("name", name))
      .first();
    if (taken !== null) {
      throw new ConvexError(`#${name} already exists`);
    }
    const channel = await ctx.db.insert("channels", {
      name,
      topic: topic ?? null,
      createdBy: user._id,
      updatedAt: Date.now(),
    });
    await ctx.db.insert("memberships", { channel, user: user._id, role: "owner" });
    return channel;
  },
});

export const join = mutation({
  args: { channel: v.id("channels") },
  returns: v.null(),
  handler: async (ctx, { channel }) => {
    const user = await requireUser(ctx);
    const existing = await ctx.db
      .query("memberships")
      .withIndex("by_user_and_channel", (q) => q.eq("user", user._id).eq("channel", channel))
      .unique();
    if (existing === null) {
      await ctx.db.insert("memberships", { channel, user: user._id, role: "member" });
    }
    return null;
  },
});

/** Channels deleted more than thirty days ago are removed for good, with their memberships. */
export const purgeDeleted = internalMutation({
  args: {},
  returns: v.number(),
  handler: async (ctx) => {
    const cutoff = Date.now() - THIRTY_DAYS_MS;
    const deleted = await ctx.db
      .query("channels")
      .filter((q) => q.lt(q.field("deletedAt"), cutoff))
      .take(100);
    for (const channel of deleted) {
      const memberships = await ctx.db
        .query("memberships")
        .withIndex("by_channel", (q) => q.eq("channel", channel._id))
        .collect();
      await Promise.all(memberships.map((m) => ctx.db.delete("memberships", m._id)));
      await ctx.db.delete("channels", channel._id);
    }
    return deleted.length;
  },
});
