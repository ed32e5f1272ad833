//! Shrinking one disagreement, at the level of the single case: the same rows, one task model,
//! and ever simpler rules and identities, as long as the targets still disagree on the case.
//!
//! Each round tries every one-step simplification at once: a trial batch holds the current
//! rules as `Task0` and each simpler rule set (that still type-checks) as another copy, over the
//! same rows, and the current identity followed by each simpler identity; only the case in
//! question is asked, of each copy and identity. The first simplification that still
//! disagrees is kept, and the rules go first.

use crate::batch::{Batch, Case, Prepared};
use crate::domain::{self, Copy};
use crate::identity::Identity;
use crate::pg::Postgres;
use crate::rule::RuleSet;
use crate::world::WorldDraw;

/// How many simplifications of each kind a round tries.
const PER_ROUND: usize = 40;

/// The smallest reproduction found of `case` of `batch`, readable, and how many simplifications
/// it took (disagreeing as [`crate::batch::Answers::agree`] says). `None` when the case agrees once alone (it then depends on the rest of the batch,
/// which [`Prepared::describe`] of the whole batch shows).
pub fn shrink(batch: &Batch, case: &Case, pg: &Postgres) -> Option<(String, usize)> {
    let original = &batch.copies[case.copy];
    let mut rules = original.rules.clone();
    let mut identity = batch.identities[case.identity].clone();
    let mut steps = 0;
    loop {
        let rule_sets: Vec<RuleSet> = std::iter::once(rules.clone())
            .chain(
                rules
                    .simpler()
                    .into_iter()
                    .filter(|r| compiles(original.tenant, r))
                    .take(PER_ROUND),
            )
            .collect();
        let identities: Vec<Identity> = std::iter::once(identity.clone())
            .chain(identity.simpler().into_iter().take(PER_ROUND))
            .collect();
        let trial = Batch {
            copies: rule_sets
                .iter()
                .enumerate()
                .map(|(n, rules)| Copy {
                    n,
                    tenant: original.tenant,
                    rules: rules.clone(),
                })
                .collect(),
            world: WorldDraw {
                copies: vec![batch.world.copies[case.copy].clone(); rule_sets.len()],
                ..batch.world.clone()
            },
            identities,
        };
        let prepared = Prepared::new(&trial);
        let at = |copy, identity| Case {
            copy,
            identity,
            ..*case
        };
        let mut asked: Vec<Case> = (0..rule_sets.len()).map(|c| at(c, 0)).collect();
        asked.extend((1..trial.identities.len()).map(|i| at(0, i)));
        let outcome = prepared.run_cases(pg, &asked);
        let disagrees = |c: &Case| !outcome.answers[c].agree();
        if !disagrees(&at(0, 0)) {
            return None;
        }
        if let Some(c) = (1..rule_sets.len()).find(|c| disagrees(&at(*c, 0))) {
            rules = rule_sets[c].clone();
        } else if let Some(i) = (1..trial.identities.len()).find(|i| disagrees(&at(0, *i))) {
            identity = trial.identities[i].clone();
        } else {
            let found = at(0, 0);
            return Some((prepared.describe(&found, &outcome.answers[&found]), steps));
        }
        steps += 1;
    }
}

/// True when `rules` type-check on a copy with (or without) a tenant column.
fn compiles(tenant: bool, rules: &RuleSet) -> bool {
    let copy = Copy {
        n: 0,
        tenant,
        rules: rules.clone(),
    };
    domain::compile(&domain::files(&[copy])).is_ok()
}
