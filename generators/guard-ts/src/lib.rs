//! forge's TypeScript guard generator (in progress).
