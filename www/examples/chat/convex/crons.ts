import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

crons.interval("remove stale presence", { minutes: 5 }, internal.presence.removeStale);
crons.daily("purge deleted channels", { hourUTC: 3, minuteUTC: 30 }, internal.channels.purgeDeleted);

export default crons;
