// The audit trail shared by Patient and Note (schema/people.kdl, schema/care.kdl).
import type { HookContext } from "./types";

/** after-update: records who changed which medical record; the content itself is pii. */
export async function recordChange(record: { id: string; tenant_id: string }, ctx: HookContext): Promise<void> {
  ctx.log("record changed", { record_id: record.id, tenant_id: record.tenant_id, by: ctx.user.id });
}
