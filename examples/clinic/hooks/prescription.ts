// Hooks of the Prescription model (schema/care.kdl).
import type { HookContext } from "./types";

interface PrescriptionRecord {
  id: string;
  medication_id: string;
  quantity: number;
  refills: number;
}

/**
 * before-create: a place to look up `Medication.interacts_with` for the patient's other active
 * prescriptions and refuse the write. This example only bounds the total supply.
 */
export async function checkInteractions(record: PrescriptionRecord, ctx: HookContext): Promise<PrescriptionRecord> {
  if (record.quantity * (record.refills + 1) > 1000) {
    throw new Error("total supply over 1000 units: split the prescription");
  }
  ctx.log("prescription screened", { medication_id: record.medication_id });
  return record;
}
