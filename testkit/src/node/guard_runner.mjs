// Answers guard questions for forge's tests: one JSON object per line on standard input,
// `{"table": "guards" | "joinGuards", "name": ..., "action": ..., "user": ..., "record": ...,
// "after": ...}`, one line per question on standard output: `true`, `false`, or `error <why>` (a
// guard that throws or returns something else is an error). In the JSON, `{"$bigint": "<digits>"}`
// stands for a JavaScript bigint and `{"$date": "<text>"}` for a Date, which JSON cannot carry.
import { createInterface } from "node:readline";
import { guards, joinGuards } from "./guards.js";

const tables = { guards, joinGuards };
const own = (object, key) =>
  object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key)
    ? object[key]
    : undefined;

function revive(_key, value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "$bigint") return BigInt(value.$bigint);
  if (keys.length === 1 && keys[0] === "$date") return new Date(value.$date);
  return value;
}

function answer(line) {
  try {
    const q = JSON.parse(line, revive);
    const guard = own(own(own(tables, q.table), q.name), q.action);
    if (typeof guard !== "function") {
      return "error no guard " + JSON.stringify([q.table, q.name, q.action]);
    }
    const allowed = q.action === "update" ? guard(q.user, q.record, q.after) : guard(q.user, q.record);
    return typeof allowed === "boolean" ? String(allowed) : "error returned " + String(allowed);
  } catch (e) {
    return "error threw " + String(e && e.stack ? e.stack : e).replace(/\n/g, " | ");
  }
}

process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  process.stdout.write(answer(line) + "\n");
}
