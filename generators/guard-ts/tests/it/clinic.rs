//! The clinic example's guards: `some` over a has-many with a belongs-to hop from the lambda's
//! variable, chains, an optional identity attribute (`user.clinic_id == null`), `all` policies, a
//! model without a tenant column, a composite primary key, a negated missing lookup, permission
//! lines with `if` on the identity, and a self many-to-many join table.

use std::sync::{Mutex, MutexGuard, OnceLock};

use forge_testkit::GuardRunner;
use serde_json::{Value, json};

use crate::support::{case, check, example, join, shared, uuid, with};

fn runner() -> MutexGuard<'static, GuardRunner> {
    static RUNNER: OnceLock<Mutex<GuardRunner>> = OnceLock::new();
    shared(&RUNNER, || example("clinic"))
}

const T: u64 = 9001;
const OTHER: u64 = 9002;
const ME: u64 = 11;
const SOMEONE: u64 = 12;
const CLINIC: u64 = 700;

/// Staff member ME of tenant T with `roles`, and identity attributes `extra`.
fn staff(roles: &[&str], extra: Value) -> Value {
    with(
        &json!({"id": uuid(ME), "tenant_id": uuid(T), "roles": roles, "claims": []}),
        extra,
    )
}

/// A doctor of tenant `tenant` whose login is `user`, working at `clinic`.
fn doctor(tenant: u64, user: u64, clinic: u64) -> Value {
    json!({"id": uuid(800 + user), "tenant_id": uuid(tenant), "user_id": uuid(user), "clinic_id": uuid(clinic), "prénom": "A", "nom": "B", "license_number": "L", "specialty": "general_practice", "accepts_new_patients": true})
}

/// A patient of tenant T, with `over` changed.
fn patient(over: Value) -> Value {
    with(
        &json!({"id": uuid(900), "tenant_id": uuid(T), "prénom": "P", "nom": "Q", "date_of_birth": "1980-05-01", "sex": "unknown"}),
        over,
    )
}

/// An appointment of tenant `tenant` with the doctor `doctor`.
fn appointment(tenant: u64, doctor: Value) -> Value {
    json!({"id": uuid(1000), "tenant_id": uuid(tenant), "patient_id": uuid(900), "doctor_id": uuid(801), "starts_at": "2024-05-01T09:00:00+02:00", "ends_at": "2024-05-01T09:30:00+02:00", "status": "scheduled", "kind": "in_person", "doctor": doctor})
}

#[test]
fn doctors_see_their_patients_through_relations() {
    let doc = staff(&["doctor"], json!({}));
    check(
        &mut runner(),
        &[
            case(
                "primary doctor",
                "Patient",
                "read",
                &doc,
                &patient(json!({"primary_doctor": doctor(T, ME, CLINIC)})),
                true,
            ),
            case(
                "seen in an appointment",
                "Patient",
                "read",
                &doc,
                &patient(
                    json!({"appointments": [appointment(T, doctor(T, SOMEONE, CLINIC)), appointment(T, doctor(T, ME, CLINIC))]}),
                ),
                true,
            ),
            case(
                "an appointment of another tenant",
                "Patient",
                "read",
                &doc,
                &patient(json!({"appointments": [appointment(OTHER, doctor(T, ME, CLINIC))]})),
                false,
            ),
            case(
                "its doctor in another tenant",
                "Patient",
                "read",
                &doc,
                &patient(json!({"appointments": [appointment(T, doctor(OTHER, ME, CLINIC))]})),
                false,
            ),
            case(
                "someone else's patient",
                "Patient",
                "read",
                &doc,
                &patient(json!({"primary_doctor": doctor(T, SOMEONE, CLINIC), "appointments": []})),
                false,
            ),
            case(
                "a nurse",
                "Patient",
                "read",
                &staff(&["nurse"], json!({})),
                &patient(json!({})),
                true,
            ),
            case(
                "no role",
                "Patient",
                "read",
                &staff(&[], json!({})),
                &patient(json!({})),
                false,
            ),
        ],
    );
}

#[test]
fn an_optional_identity_attribute_narrows_the_calendar() {
    let nurse = |extra: Value| staff(&["nurse"], extra);
    let at_clinic = appointment(T, doctor(T, SOMEONE, CLINIC));
    check(
        &mut runner(),
        &[
            case(
                "every clinic",
                "Appointment",
                "read",
                &nurse(json!({})),
                &at_clinic,
                true,
            ),
            case(
                "my clinic",
                "Appointment",
                "read",
                &nurse(json!({"clinic_id": uuid(CLINIC)})),
                &at_clinic,
                true,
            ),
            case(
                "another clinic",
                "Appointment",
                "read",
                &nurse(json!({"clinic_id": uuid(701)})),
                &at_clinic,
                false,
            ),
            // A malformed value is missing, so `user.clinic_id == null` holds.
            case(
                "a malformed clinic",
                "Appointment",
                "read",
                &nurse(json!({"clinic_id": "clinic-1"})),
                &at_clinic,
                true,
            ),
            case(
                "the doctor not loaded",
                "Appointment",
                "read",
                &nurse(json!({"clinic_id": uuid(CLINIC)})),
                &with(&at_clinic, json!({"doctor": null})),
                false,
            ),
            case(
                "a receptionist books",
                "Appointment",
                "create",
                &staff(&["receptionist"], json!({})),
                &at_clinic,
                true,
            ),
            case(
                "a doctor books for themselves",
                "Appointment",
                "create",
                &staff(&["doctor"], json!({})),
                &appointment(T, doctor(T, ME, CLINIC)),
                true,
            ),
            case(
                "a doctor books for another",
                "Appointment",
                "create",
                &staff(&["doctor"], json!({})),
                &at_clinic,
                false,
            ),
        ],
    );
}

#[test]
fn all_policies_composite_keys_and_lookups_that_are_missing() {
    let doc = staff(&["doctor"], json!({"clinic_id": uuid(CLINIC)}));
    let order = |clinic: u64| json!({"id": uuid(1100), "tenant_id": uuid(T), "patient_id": uuid(900), "ordered_by_id": uuid(811), "accession": "9007199254740993", "test_code": "X", "priority": "routine", "status": "ordered", "ordered_by": doctor(T, ME, clinic)});
    let availability = |user: u64| json!({"tenant_id": uuid(T), "doctor_id": uuid(800 + user), "weekday": 1, "opens_minute": 480, "closes_minute": 1020, "doctor": doctor(T, user, CLINIC)});
    let medication = |controlled: bool| json!({"id": uuid(1200), "tenant_id": uuid(T), "name": "m", "atc_code": "N02BE01", "group": "g", "form": "tablet", "strength": "500mg", "controlled": controlled});
    let prescription = |medication: Value| json!({"id": uuid(1300), "tenant_id": uuid(T), "appointment_id": uuid(1000), "medication_id": uuid(1200), "prescriber_id": uuid(811), "dosage": "d", "quantity": 1, "refills": 0, "issued_on": "2024-05-01", "expires_on": "2024-06-01", "prescriber": doctor(T, ME, CLINIC), "medication": medication});
    let with_claim = staff(&["doctor"], json!({"claims": ["prescriptions.controlled"]}));
    check(
        &mut runner(),
        &[
            case(
                "an order in my clinic",
                "Order",
                "create",
                &doc,
                &order(CLINIC),
                true,
            ),
            case(
                "an order in another clinic",
                "Order",
                "create",
                &doc,
                &order(701),
                false,
            ),
            case(
                "reading it elsewhere",
                "Order",
                "read",
                &doc,
                &order(701),
                false,
            ),
            case(
                "my availability",
                "Availability",
                "create",
                &staff(&["doctor"], json!({})),
                &availability(ME),
                true,
            ),
            case(
                "someone's availability",
                "Availability",
                "create",
                &staff(&["doctor"], json!({})),
                &availability(SOMEONE),
                false,
            ),
            case(
                "by a receptionist",
                "Availability",
                "create",
                &staff(&["receptionist"], json!({})),
                &availability(SOMEONE),
                true,
            ),
            case(
                "an ordinary drug",
                "Prescription",
                "create",
                &staff(&["doctor"], json!({})),
                &prescription(medication(false)),
                true,
            ),
            case(
                "a controlled drug",
                "Prescription",
                "create",
                &staff(&["doctor"], json!({})),
                &prescription(medication(true)),
                false,
            ),
            case(
                "a controlled drug, with the claim",
                "Prescription",
                "create",
                &with_claim,
                &prescription(medication(true)),
                true,
            ),
            // `!record.medication.controlled` with no medication: a missing boolean is false.
            case(
                "the drug not loaded",
                "Prescription",
                "create",
                &staff(&["doctor"], json!({})),
                &prescription(json!(null)),
                true,
            ),
        ],
    );
}

#[test]
fn permission_lines_with_conditions_and_a_model_without_tenant() {
    let note = |confidential: bool| json!({"id": uuid(1400), "tenant_id": uuid(T), "appointment_id": uuid(1000), "author_id": uuid(SOMEONE), "body": "b", "confidential": confidential});
    let insurer =
        json!({"id": uuid(1500), "name": "I", "code": "I", "country": "FR", "active": true});
    let admin = |claims: &[&str]| staff(&["admin"], json!({"claims": claims}));
    check(
        &mut runner(),
        &[
            case(
                "a nurse, an open note",
                "Note",
                "read",
                &staff(&["nurse"], json!({})),
                &note(false),
                true,
            ),
            case(
                "a nurse, a confidential note",
                "Note",
                "read",
                &staff(&["nurse"], json!({})),
                &note(true),
                false,
            ),
            case(
                "a doctor, a confidential note",
                "Note",
                "read",
                &staff(&["doctor"], json!({})),
                &note(true),
                true,
            ),
            case(
                "an admin exporting",
                "Note",
                "read",
                &admin(&["records.export"]),
                &note(false),
                true,
            ),
            case("an admin", "Note", "read", &admin(&[]), &note(false), false),
            case(
                "insurers: signed in",
                "Insurer",
                "read",
                &staff(&[], json!({})),
                &insurer,
                true,
            ),
            case(
                "insurers: anonymous",
                "Insurer",
                "read",
                &json!({}),
                &insurer,
                false,
            ),
            case(
                "insurers: a malformed tenant",
                "Insurer",
                "read",
                &json!({"tenant_id": "t"}),
                &insurer,
                false,
            ),
            case(
                "insurers: the catalog claim",
                "Insurer",
                "create",
                &json!({"claims": ["catalog.manage"]}),
                &insurer,
                true,
            ),
        ],
    );
}

#[test]
fn a_self_many_to_many_follows_its_declaring_side() {
    let link = |tenant: u64| json!({"medication_id": uuid(1200), "interacts_with_id": uuid(1201), "tenant_id": uuid(tenant), "Medication": {"id": uuid(1200), "tenant_id": uuid(T), "name": "m"}});
    let admin = staff(&["admin"], json!({}));
    check(
        &mut runner(),
        &[
            join(
                "read by anyone in the tenant",
                "medication_interacts_with",
                "read",
                &staff(&[], json!({})),
                &link(T),
                true,
            ),
            join(
                "read across tenants",
                "medication_interacts_with",
                "read",
                &staff(&[], json!({})),
                &link(OTHER),
                false,
            ),
            join(
                "created by an admin",
                "medication_interacts_with",
                "create",
                &admin,
                &link(T),
                true,
            ),
            join(
                "created by a doctor",
                "medication_interacts_with",
                "create",
                &staff(&["doctor"], json!({})),
                &link(T),
                false,
            ),
            join(
                "deleted by an admin",
                "medication_interacts_with",
                "delete",
                &admin,
                &link(T),
                true,
            ),
        ],
    );
}
