"use node";

import { createHash } from "node:crypto";
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalAction } from "./_generated/server";

/** Points the user's avatar at their Gravatar, which is addressed by a hash of the email. */
export const refresh = internalAction({
  args: { userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, { userId }) => {
    const user = await ctx.runQuery(internal.users.get, { userId });
    if (user === null) {
      return null;
    }
    const hash = createHash("sha256").update(user.email.trim().toLowerCase()).digest("hex");
    const avatarUrl = `https://www.gravatar.com/avatar/${hash}?d=identicon`;
    await ctx.runMutation(internal.users.setAvatar, { userId, avatarUrl });
    return null;
  },
});
