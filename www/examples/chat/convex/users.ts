import { ConvexError, v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation, internalQuery, mutation, query } from "./_generated/server";
import { getCurrentUser } from "./lib/auth";

export const current = query({
  args: {},
  handler: async (ctx) => await getCurrentUser(ctx),
});

/** Stores the signed-in user on first sign-in and keeps their name up to date. */
export const store = mutation({
  args: {},
  returns: v.id("users"),
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (identity === null || identity.email === undefined) {
      throw new ConvexError("Sign in with an email address to continue");
    }
    const email = identity.email;
    const name = identity.name ?? email.split("@")[0];
    const existing = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email))
      .unique();
    if (existing !== null) {
      if (existing.name !== name) {
        await ctx.db.patch("users", existing._id, { name, updatedAt: Date.now() });
      }
      return existing._id;
    }
    const userId = await ctx.db.insert("users", { name, email, updatedAt: Date.now() });
    await ctx.scheduler.runAfter(0, internal.avatars.refresh, { userId });
    return userId;
  },
});

export const get = internalQuery({
  args: { userId: v.id("users") },
  handler: async (ctx, { userId }) => await ctx.db.get("users", userId),
});

export const setAvatar = internalMutation({
  args: { userId: v.id("users"), avatarUrl: v.string() },
  returns: v.null(),
  handler: async (ctx, { userId, avatarUrl }) => {
    await ctx.db.patch("users", userId, { avatarUrl, updatedAt: Date.now() });
    return null;
  },
});
