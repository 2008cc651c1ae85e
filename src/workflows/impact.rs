//! What a planned call would break, shown in its plan before confirmation: the call as a
//! hypothetical change to the model, traced by the core's what-if engine. A change that cuts a
//! VPC off needs the typed confirmation even when it only adds something.

use super::{Plan, destructive};
use crate::graph::whatif;
use crate::model::Estate;

/// Adds what the plan's call would break (or degrade) and the findings it would raise or
/// clear to its warnings, and requires the typed confirmation when it cuts a VPC off.
pub fn annotate(plan: Plan, e: &Estate) -> Plan {
    let changes = plan.call.path_changes();
    if changes.is_empty() {
        return plan;
    }
    let after = whatif::apply(e, &changes);
    let w = whatif::compare(e, &after, &changes);
    let mut plan = if w.cuts() { confirmed(plan) } else { plan };
    let lines = w.lines();
    if lines.is_empty() {
        plan.warnings.push(
            "paths: no VPC loses or narrows a way to on-prem or to what this changes (traced before and after)".into(),
        );
    } else {
        plan.warnings.extend(lines);
    }
    // The findings it would raise or clear, as `what-if` says them.
    let (before, now) = (
        crate::findings::evaluate(e),
        crate::findings::evaluate(&after),
    );
    let (appear, clear) = whatif::findings_diff(&before, &now);
    plan.warnings.extend(whatif::finding_lines(&appear, &clear));
    plan
}

/// The plan, needing the typed confirmation (the call's own word, else its target).
fn confirmed(plan: Plan) -> Plan {
    if plan.destructive {
        return plan;
    }
    let confirm = plan.call.cut_confirm().unwrap_or_else(|| {
        let first = plan.target.first().cloned();
        first.unwrap_or_else(|| plan.operation().to_string())
    });
    destructive(plan, confirm)
}

/// Adds the declared intents the plan's call would break or heal, as `what-if` says them
/// (judged on the model before and after it); one it would break needs the typed
/// confirmation. Intents that cannot be judged add nothing (the overview says why).
pub fn annotate_intents(plan: Plan, e: &Estate, declared: &[crate::intent::Intent]) -> Plan {
    let changes = plan.call.path_changes();
    if changes.is_empty() || declared.is_empty() {
        return plan;
    }
    let after = whatif::apply(e, &changes);
    let judge = |e: &Estate| crate::intent::verify(&crate::graph::Index::new(e), declared);
    let (Ok(before), Ok(now)) = (judge(e), judge(&after)) else {
        return plan;
    };
    let moved = crate::intent::changed(&before, &now);
    let breaks = moved
        .iter()
        .any(|(_, a)| a.state == crate::intent::State::Broken);
    let mut plan = if breaks { confirmed(plan) } else { plan };
    let lines = moved.iter().map(|(b, a)| crate::intent::change_line(b, a));
    plan.warnings.extend(lines);
    plan
}
