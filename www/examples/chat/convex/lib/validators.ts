import { v } from "convex/values";

// Validators shared by several modules. The schema keeps its own copies so that it stays the one
// place that defines the tables.
export const attachment = v.object({
  storageId: v.id("_storage"),
  name: v.string(),
});

export const channelSummary = v.object({
  _id: v.id("channels"),
  name: v.string(),
  topic: v.nullable(v.string()),
  role: v.union(v.literal("owner"), v.literal("member"), v.literal("guest")),
});
