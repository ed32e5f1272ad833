//! `forge cache stats|gc`.

use forge_engine::Project;

use crate::cli::CacheCommand;

pub fn run(project: &Project, command: &CacheCommand) -> anyhow::Result<u8> {
    match command {
        CacheCommand::Stats { json } => {
            let stats = forge_engine::cache_stats(project)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                println!("builds:   {}", stats.builds);
                println!("actions:  {}", stats.actions);
                println!("blobs:    {} ({} bytes)", stats.blobs, stats.blob_bytes);
                println!("database: {} bytes", stats.db_bytes);
            }
        }
        CacheCommand::Gc { keep } => {
            let report = forge_engine::cache_gc(project, *keep)?;
            println!(
                "removed {} builds, {} actions, {} blobs ({} bytes)",
                report.builds_removed,
                report.actions_removed,
                report.blobs_removed,
                report.bytes_freed
            );
        }
    }
    Ok(0)
}
