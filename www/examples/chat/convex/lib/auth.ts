import { ConvexError } from "convex/values";
import type { QueryCtx } from "../_generated/server";
import type { Doc, Id } from "../_generated/dataModel";

/** The signed-in user's document, or null when signed out or not stored yet. */
export async function getCurrentUser(ctx: QueryCtx): Promise<Doc<"users"> | null> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null || identity.email === undefined) {
    return null;
  }
  return await ctx.db
    .query("users")
    .withIndex("by_email", (q) => q.eq("email", identity.email!))
    .unique();
}

export async function requireUser(ctx: QueryCtx): Promise<Doc<"users">> {
  const user = await getCurrentUser(ctx);
  if (user === null) {
    throw new ConvexError("Sign in to continue");
  }
  return user;
}

/** The user's membership of a channel; throws when they are not a member. */
export async function requireMembership(
  ctx: QueryCtx,
  user: Id<"users">,
  channel: Id<"channels">,
): Promise<Doc<"memberships">> {
  const membership = await ctx.db
    .query("memberships")
    .withIndex("by_user_and_channel", (q) => q.eq("user", user).eq("channel", channel))
    .unique();
  if (membership === null) {
    throw new ConvexError("You are not a member of this channel");
  }
  return membership;
}
