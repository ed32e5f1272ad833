// Hooks of the Appointment model (schema/care.kdl).
import type { HookContext } from "./types";

interface AppointmentRecord {
  id: string;
  patient_id: string;
  starts_at: string;
  kind: "in_person" | "video" | "phone";
}

/** after-create: schedules the reminder a day before. Never logs `reason` (pii). */
export async function sendReminder(record: AppointmentRecord, ctx: HookContext): Promise<void> {
  const at = new Date(Date.parse(record.starts_at) - 24 * 60 * 60 * 1000).toISOString();
  ctx.log("reminder scheduled", { appointment_id: record.id, at, kind: record.kind });
}
