//! `forge build` killed (SIGKILL) at many moments: the next build always succeeds, and no file of
//! the out folder is ever torn: each is the complete output of the build before or of the build
//! after.

mod support;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Instant;

use support::TestProject;

const OUTPUTS: [&str; 3] = [
    "generated/sql/postgres/schema.sql",
    "generated/sql/sqlite/schema.sql",
    "generated/sql/mysql/schema.sql",
];

fn snapshot(p: &TestProject) -> BTreeMap<&'static str, Option<String>> {
    OUTPUTS
        .iter()
        .map(|f| (*f, std::fs::read_to_string(p.path().join(f)).ok()))
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_no_torn_file_and_the_next_build_succeeds() {
    let files = forge_synth::project(300, 6);
    let p = TestProject::from_files(&files);
    p.build();
    let target = forge_synth::model_file(&files, 42).to_string();
    let mut current = files.clone();
    let edit = |current: &mut Vec<(String, String)>| {
        *current = forge_synth::with_added_field(current, 42);
        p.write(
            &target,
            &current.iter().find(|(path, _)| *path == target).unwrap().1,
        );
    };
    // The kills are spread over the time an uninterrupted build of one such edit takes.
    edit(&mut current);
    let started = Instant::now();
    p.build();
    let span = started.elapsed();

    let rounds = 24u32;
    let mut killed_mid_build = 0;
    for round in 0..rounds {
        let before = snapshot(&p);
        // A new field each round, so the build has real work to do and new outputs to write.
        edit(&mut current);
        let delay = span.mul_f64(f64::from(round) / f64::from(rounds));
        let mut child = Command::new(env!("CARGO_BIN_EXE_forge"))
            .arg("build")
            .current_dir(p.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_mid_build += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        let during = snapshot(&p);

        let run = p.forge(&["build", "--json"]);
        assert_eq!(
            run.code, 0,
            "round {round}: the build after a kill failed:\n{}",
            run.stderr
        );
        let after = snapshot(&p);
        for file in OUTPUTS {
            let seen = &during[file];
            assert!(
                seen == &before[file] || seen == &after[file],
                "round {round}: {file} was neither the old nor the new output (torn)"
            );
            assert!(after[file].is_some());
        }
        let manifest = p.read("generated/.forge-manifest.json");
        serde_json::from_str::<serde_json::Value>(&manifest).expect("the manifest is whole");
    }
    assert!(
        killed_mid_build >= rounds / 2,
        "only {killed_mid_build} kills landed mid-build; the test is too fast to mean much"
    );
}
