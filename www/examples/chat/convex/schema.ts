import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

// Shared shapes live in constants and are spread into tables.
const timestamps = {
  updatedAt: v.number(),
  deletedAt: v.optional(v.number()),
};

const role = v.union(v.literal("owner"), v.literal("member"), v.literal("guest"));

export default defineSchema({
  users: defineTable({
    name: v.string(),
    email: v.string(),
    avatarUrl: v.optional(v.string()),
    ...timestamps,
  }).index("by_email", ["email"]),

  channels: defineTable({
    name: v.string(),
    topic: v.nullable(v.string()),
    createdBy: v.id("users"),
    ...timestamps,
  }).index("by_name", ["name"]),

  memberships: defineTable({
    channel: v.id("channels"),
    user: v.id("users"),
    role,
  })
    .index("by_channel", ["channel"])
    .index("by_user_and_channel", { fields: ["user", "channel"] }),

  messages: defineTable({
    channel: v.id("channels"),
    author: v.id("users"),
    body: v.string(),
    attachments: v.array(v.object({ storageId: v.id("_storage"), name: v.string() })),
    embedding: v.optional(v.array(v.float64())),
  })
    .index("by_channel", ["channel"])
    .index("by_author", { fields: ["author"], staged: true })
    .searchIndex("search_body", { searchField: "body", filterFields: ["channel"] })
    .vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 1536 }),

  presence: defineTable({
    user: v.id("users"),
    channel: v.id("channels"),
    lastSeen: v.number(),
  }).index("by_channel_and_user", ["channel", "user"]),
});
