//! A scratch database on a server: created empty under a name no one else uses, and dropped when
//! done (also when forge fails half-way). `drift` and the PostgreSQL sandbox build the declared
//! schema in one, so that the live and the declared database are read back by the same server
//! and their expressions compare as that server writes them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use forge_gen_sql::Dialect;

use crate::connection::{Db, error_message};
use crate::error::DbError;
use crate::url::DbUrl;

/// A database forge created and drops.
pub struct Scratch {
    /// A connection to the server outside the scratch database, to drop it.
    admin: Option<Db>,
    name: String,
    url: DbUrl,
}

impl Scratch {
    /// Creates an empty database on the server of `server` (a PostgreSQL or MySQL URL).
    pub fn create(server: &DbUrl) -> Result<Scratch, DbError> {
        let name = fresh_name();
        let url = server.with_database(&name).ok_or_else(|| {
            DbError::Invalid(format!(
                "{server}: a scratch database needs a server URL\n  help: give a postgres:// or mysql:// URL"
            ))
        })?;
        let mut admin = Db::connect(server)?;
        let sql = match server.dialect {
            Dialect::Postgres => {
                format!("CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
            }
            _ => format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"),
        };
        admin.execute(&sql).map_err(|e| {
            DbError::Invalid(format!(
                "{server}: cannot create a scratch database to build the declared schema in: {}\n  help: connect as a user that may create databases, or pass `--scratch URL`: a server of the same version where it may",
                error_message(&e)
            ))
        })?;
        Ok(Scratch {
            admin: Some(admin),
            name,
            url,
        })
    }

    /// A connection to the scratch database, checked to be that database (forge writes to it).
    pub fn connect(&self) -> Result<Db, DbError> {
        let mut db = Db::connect(&self.url)?;
        let sql = match db.dialect() {
            Dialect::Postgres => "SELECT current_database()::text",
            _ => "SELECT DATABASE()",
        };
        let rows = db
            .rows(sql, &[])
            .map_err(|e| DbError::query(&db, "checking the scratch database's name", e))?;
        let name = rows.first().and_then(|r| r.first()).cloned().flatten();
        if name.as_deref() != Some(self.name.as_str()) {
            db.close();
            return Err(DbError::Invalid(format!(
                "{}: connected to `{}`, not to the scratch database `{}`; nothing was written\n  help: remove parameters that name another database from the URL",
                self.url,
                name.unwrap_or_default(),
                self.name
            )));
        }
        Ok(db)
    }

    /// Runs `work` on a new scratch database of `server`, which is dropped afterwards whatever
    /// happens.
    pub fn with<T>(
        server: &DbUrl,
        work: impl FnOnce(&mut Db) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut scratch = Scratch::create(server)?;
        let mut db = scratch.connect()?;
        let result = work(&mut db);
        db.close();
        scratch.remove();
        result
    }

    fn remove(&mut self) {
        let Some(mut admin) = self.admin.take() else {
            return;
        };
        let sql = match admin.dialect() {
            Dialect::Postgres => format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            _ => format!("DROP DATABASE IF EXISTS `{}`", self.name),
        };
        // A scratch database left behind is named `forge_scratch_...`, and holds no data.
        let _ = admin.execute(&sql);
        admin.close();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.remove();
    }
}

/// `forge_scratch_<12 hex>`, different in every process and call.
fn fresh_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut hasher = blake3::Hasher::new();
    hasher.update(&std::process::id().to_le_bytes());
    hasher.update(&nanos.to_le_bytes());
    hasher.update(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    format!("forge_scratch_{}", &hasher.finalize().to_hex()[..12])
}
