// Hooks of the Post model (schema/content.kdl).
import type { HookContext } from "./types";

interface PostRecord {
  id: string;
  title: string;
  slug?: string;
  status: "draft" | "review" | "published" | "archived";
  updated_at?: string;
}

/** before-create: derives the slug from the title when the client sent none. */
export async function slugify(record: PostRecord, _ctx: HookContext): Promise<PostRecord> {
  if (record.slug && record.slug.length > 0) return record;
  const slug = record.title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 200);
  return { ...record, slug: slug.length > 0 ? slug : record.id };
}

/** before-update: keeps `updated_at` honest whatever the client sent. */
export async function touch(record: PostRecord, _ctx: HookContext): Promise<PostRecord> {
  return { ...record, updated_at: new Date().toISOString() };
}

/** after-update: tells subscribers when a post has just been published. */
export async function notifySubscribers(record: PostRecord, ctx: HookContext): Promise<void> {
  if (record.status !== "published") return;
  ctx.log("post published", { post_id: record.id });
}
