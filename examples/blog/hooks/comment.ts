// Hooks of the Comment model (schema/content.kdl).
import type { HookContext } from "./types";

interface CommentRecord {
  id: string;
  post_id: string;
  author_id: string;
  body: string;
  status: "pending" | "approved" | "spam";
}

const LINK = /https?:\/\//g;

/** before-create: comments with many links wait as spam until a moderator looks at them. */
export async function screenSpam(record: CommentRecord, _ctx: HookContext): Promise<CommentRecord> {
  const links = record.body.match(LINK)?.length ?? 0;
  return links > 3 ? { ...record, status: "spam" } : record;
}

/** after-create: tells the post's author about a new comment. */
export async function notifyPostAuthor(record: CommentRecord, ctx: HookContext): Promise<void> {
  if (record.status === "spam") return;
  ctx.log("new comment", { post_id: record.post_id, comment_id: record.id });
}
