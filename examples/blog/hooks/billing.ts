// Hooks of the Subscription model (schema/billing.kdl).
import type { HookContext } from "./types";

interface SubscriptionRecord {
  id: string;
  subscriber_id: string;
  status: "trialing" | "active" | "past_due" | "canceled";
  plan: "free" | "pro" | "business";
}

/** after-create and after-update: mirrors the subscription to the payment provider. */
export async function syncProvider(record: SubscriptionRecord, ctx: HookContext): Promise<void> {
  // The payment token is secret: it is never logged, and list endpoints never return it.
  ctx.log("syncing subscription", { subscription_id: record.id, status: record.status, plan: record.plan });
}
