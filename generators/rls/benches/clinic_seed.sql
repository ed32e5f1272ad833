-- The clinic example's data for the row-level security benchmark (benches/explain.rs), run by the
-- superuser after schema.sql and policies.sql. `{tenants}` and `{rows}` are replaced first; rows
-- is a multiple of tenants.
--
-- Row i of a table belongs to tenant i % {tenants}; its "local" number in that tenant is
-- i / {tenants}, and the row with local number k of tenant t is row k * {tenants} + t. Keys are
-- md5 hashes (spread like random uuids), and every other choice is a hash of the row number, so
-- the data is the same on every run. Per tenant: 500 users (local 0 to 99 are the doctors'
-- logins, 100 to 149 nurses), 5 clinics, 100 doctors (20 per clinic, one in ten without a login),
-- and {rows} / {tenants} patients, appointments, notes and invoices.

CREATE FUNCTION pg_temp.key(tag text, i bigint) RETURNS uuid
  LANGUAGE sql IMMUTABLE RETURN md5(tag || ':' || i)::uuid;
-- A number from 0 to n - 1, the same for the same tag and row.
CREATE FUNCTION pg_temp.pick(tag text, i bigint, n bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE RETURN (hashtext(tag || ':' || i)::bigint + 2147483648) % n;
-- Row `local` of tenant `tenant`.
CREATE FUNCTION pg_temp.row_of(tenant bigint, local bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE RETURN local * {tenants} + tenant;

INSERT INTO "organization" ("id", "name", "country")
  SELECT pg_temp.key('tenant', t), 'Organization ' || t, 'FR'
  FROM generate_series(0, {tenants} - 1) AS t;

INSERT INTO "user" ("id", "tenant_id", "email", "full_name")
  SELECT pg_temp.key('user', i), pg_temp.key('tenant', i % {tenants}),
         'user' || i || '@example.org', 'User ' || i
  FROM generate_series(0, 500 * {tenants} - 1) AS i;

INSERT INTO "clinic" ("id", "tenant_id", "name", "code")
  SELECT pg_temp.key('clinic', i), pg_temp.key('tenant', i % {tenants}), 'Clinic ' || i, 'C' || i
  FROM generate_series(0, 5 * {tenants} - 1) AS i;

-- Doctor k of a tenant works at clinic k % 5 and logs in as user k (doctors 9, 19, ... are locums).
INSERT INTO "doctor" ("id", "tenant_id", "user_id", "clinic_id", "prénom", "nom", "license_number", "specialty")
  SELECT pg_temp.key('doctor', i), pg_temp.key('tenant', i % {tenants}),
         CASE WHEN (i / {tenants}) % 10 <> 9 THEN pg_temp.key('user', i) END,
         pg_temp.key('clinic', pg_temp.row_of(i % {tenants}, (i / {tenants}) % 5)),
         'Prénom ' || i, 'Nom ' || i, 'L' || i,
         (ARRAY['general_practice', 'pediatrics', 'cardiology', 'dermatology', 'psychiatry', 'radiology']::"specialty"[])[1 + pg_temp.pick('specialty', i, 6)]
  FROM generate_series(0, 100 * {tenants} - 1) AS i;

-- Four patients in five have a primary doctor.
INSERT INTO "patient" ("id", "tenant_id", "prénom", "nom", "date_of_birth", "sex", "primary_doctor_id")
  SELECT pg_temp.key('patient', i), pg_temp.key('tenant', i % {tenants}),
         'Prénom ' || i, 'Nom ' || pg_temp.pick('nom', i, 2000),
         DATE '1940-01-01' + pg_temp.pick('born', i, 30000)::integer,
         (ARRAY['female', 'male', 'other', 'unknown']::"administrative_sex"[])[1 + pg_temp.pick('sex', i, 4)],
         CASE WHEN pg_temp.pick('has_doctor', i, 5) <> 0
           THEN pg_temp.key('doctor', pg_temp.row_of(i % {tenants}, pg_temp.pick('primary', i, 100))) END
  FROM generate_series(0, {rows} - 1) AS i;

-- A year of half-hour appointments, each with any doctor of the tenant.
INSERT INTO "appointment" ("id", "tenant_id", "patient_id", "doctor_id", "starts_at", "ends_at", "status")
  SELECT pg_temp.key('appointment', i), pg_temp.key('tenant', i % {tenants}),
         pg_temp.key('patient', pg_temp.row_of(i % {tenants}, pg_temp.pick('a_patient', i, {rows} / {tenants}))),
         pg_temp.key('doctor', pg_temp.row_of(i % {tenants}, pg_temp.pick('a_doctor', i, 100))),
         s, s + interval '30 minutes',
         (ARRAY['scheduled', 'checked_in', 'completed', 'completed', 'completed', 'canceled', 'no_show']::"appointment_status"[])[1 + pg_temp.pick('a_status', i, 7)]
  FROM generate_series(0, {rows} - 1) AS i,
       LATERAL (SELECT TIMESTAMPTZ '2026-01-01 08:00:00+00' + pg_temp.pick('a_start', i, 365 * 20) * interval '30 minutes' AS s) AS t;

-- Notes by the doctors and nurses of the tenant; one in five is confidential.
INSERT INTO "note" ("id", "tenant_id", "appointment_id", "author_id", "body", "confidential", "created_at")
  SELECT pg_temp.key('note', i), pg_temp.key('tenant', i % {tenants}),
         pg_temp.key('appointment', pg_temp.row_of(i % {tenants}, pg_temp.pick('n_appointment', i, {rows} / {tenants}))),
         pg_temp.key('user', pg_temp.row_of(i % {tenants}, pg_temp.pick('n_author', i, 150))),
         'Note ' || i, pg_temp.pick('n_confidential', i, 5) = 0,
         TIMESTAMPTZ '2026-01-01 00:00:00+00' + pg_temp.pick('n_created', i, 365 * 24) * interval '1 hour'
  FROM generate_series(0, {rows} - 1) AS i;

-- 10% drafts, 30% issued, 55% paid, 5% void.
INSERT INTO "invoice" ("id", "tenant_id", "patient_id", "number", "status", "total", "issued_on", "due_on")
  SELECT pg_temp.key('invoice', i), pg_temp.key('tenant', i % {tenants}),
         pg_temp.key('patient', pg_temp.row_of(i % {tenants}, pg_temp.pick('i_patient', i, {rows} / {tenants}))),
         i + 1, st, pg_temp.pick('i_total', i, 100000) / 100.0,
         CASE WHEN st <> 'draft' THEN DATE '2026-01-01' + pg_temp.pick('i_issued', i, 365)::integer END,
         CASE WHEN st IN ('issued', 'paid') THEN DATE '2026-01-01' + pg_temp.pick('i_issued', i, 365)::integer + 30 END
  FROM generate_series(0, {rows} - 1) AS i,
       LATERAL (SELECT (CASE WHEN pg_temp.pick('i_status', i, 20) < 2 THEN 'draft'
                             WHEN pg_temp.pick('i_status', i, 20) < 8 THEN 'issued'
                             WHEN pg_temp.pick('i_status', i, 20) < 19 THEN 'paid'
                             ELSE 'void' END)::"invoice_status" AS st) AS s;
