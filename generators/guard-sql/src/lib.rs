//! forge's SQL guard generator (in progress).
