// Shapes the blog's hooks rely on. Generated services call a `before-*` hook with the record about
// to be written and use the record it returns; an `after-*` hook gets the written record and its
// result is ignored. Only the fields a hook reads are listed, so these files stay independent of
// the generated types.

/** What a hook may use besides the record: the caller's identity and a logger. */
export interface HookContext {
  user: { id: string | null; tenant_id: string | null; roles: string[]; claims: string[] };
  log: (message: string, fields?: Record<string, unknown>) => void;
}
