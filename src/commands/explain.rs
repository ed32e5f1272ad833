//! `forge explain <artifact>[:line]`.

use std::path::Path;

use chrono_free::format_time;
use forge_engine::Project;

pub fn run(
    project: &Project,
    cwd: &Path,
    artifact: &str,
    why_rebuilt: bool,
    as_json: bool,
) -> anyhow::Result<u8> {
    let e = forge_engine::explain(project, cwd, artifact, why_rebuilt)?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&e)?);
        return Ok(0);
    }
    println!("{}", e.artifact);
    println!("  node:       {}", e.node);
    println!("  generator:  {} {}", e.generator, e.version);
    println!("  key:        {}", e.key);
    println!("  digest:     {}", e.digest);
    for (name, value) in &e.options {
        println!("  option:     {name} = {value}");
    }
    println!("  inputs:");
    for (name, digest) in &e.inputs {
        println!("    {name} {}", &digest[..digest.len().min(16)]);
    }
    println!(
        "  built:      {} (took {} µs)",
        format_time(e.built_at),
        e.micros
    );
    println!(
        "  last build: #{} {}",
        e.build,
        if e.cache_hit {
            "found it in the cache"
        } else {
            "ran it"
        }
    );
    println!("  schema:     {}", e.schema_files.join(", "));
    if let Some(line) = &e.line {
        let what = match (&line.model, &line.element, &line.field) {
            (Some(m), Some(e), _) => format!("{m} {e}"),
            (Some(m), None, Some(f)) => format!("{m}.{f}"),
            (Some(m), None, None) => m.clone(),
            _ => "no schema element (generated boilerplate)".into(),
        };
        println!(
            "  line {}:    {what} (lines {}-{})",
            line.line, line.lines[0], line.lines[1]
        );
        if let Some(src) = &line.source {
            println!("    --> {}:{}:{}", src.file, src.line, src.column);
            println!("     | {}", src.text);
        }
    }
    if let Some(why) = &e.why_rebuilt {
        println!("  why rebuilt:");
        for reason in why {
            println!("    {reason}");
        }
    }
    Ok(0)
}

/// Formats seconds since the epoch as UTC `YYYY-MM-DD HH:MM:SS` without a date crate.
mod chrono_free {
    pub fn format_time(secs: i64) -> String {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }

    /// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
    fn civil_from_days(z: i64) -> (i64, u32, u32) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn formats_known_instants() {
            assert_eq!(super::format_time(0), "1970-01-01 00:00:00 UTC");
            assert_eq!(super::format_time(1_795_219_200), "2026-11-21 00:00:00 UTC");
        }
    }
}
