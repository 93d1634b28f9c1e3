import { v } from "convex/values";
import { internalMutation, mutation, query } from "./_generated/server";
import { requireUser } from "./lib/auth";

const STALE_AFTER_MS = 60_000;

/** Called by the client every few seconds while a channel is open. */
export const heartbeat = mutation({
  args: { channel: v.id("channels") },
  returns: v.null(),
  handler: async (ctx, { channel }) => {
    const user = await requireUser(ctx);
    const existing = await ctx.db
      .query("presence")
      .withIndex("by_channel_and_user", (q) => q.eq("channel", channel).eq("user", user._id))
      .unique();
    if (existing === null) {
      await ctx.db.insert("presence", { channel, user: user._id, lastSeen: Date.now() });
    } else {
      await ctx.db.patch("presence", existing._id, { lastSeen: Date.now() });
    }
    return null;
  },
});

/** Who has the channel open, with when they were last seen (the client hides stale entries). */
export const list = query({
  args: { channel: v.id("channels") },
  returns: v.array(v.object({ user: v.id("users"), name: v.string(), lastSeen: v.number() })),
  handler: async (ctx, { channel }) => {
    const rows = await ctx.db
      .query("presence")
      .withIndex("by_channel_and_user", (q) => q.eq("channel", channel))
      .collect();
    const entries = await Promise.all(
      rows.map(async ({ user, lastSeen }) => {
        const doc = await ctx.db.get("users", user);
        return doc === null ? null : { user, name: doc.name, lastSeen };
      }),
    );
    return entries.filter((entry) => entry !== null);
  },
});

export const removeStale = internalMutation({
  args: {},
  returns: v.number(),
  handler: async (ctx) => {
    const cutoff = Date.now() - STALE_AFTER_MS;
    const stale = await ctx.db
      .query("presence")
      .filter((q) => q.lt(q.field("lastSeen"), cutoff))
      .take(500);
    await Promise.all(stale.map((row) => ctx.db.delete("presence", row._id)));
    return stale.length;
  },
});
