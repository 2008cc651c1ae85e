//! `:intents`: every declared intent with each pair it checks and why, as the derived state of
//! the revision shown judged them; the selected intent (the one `Enter` traces) is marked.

use crate::intent::{Outcome, State};
use crate::model::health::Health;

/// How a state is coloured: held good, broken bad, unknown unknown (never good).
pub fn health(s: State) -> Health {
    match s {
        State::Held => Health::Good,
        State::Unknown => Health::Unknown,
        State::Broken => Health::Bad,
    }
}

/// ` intents · held N / broken M / unknown K `
pub fn title(outcomes: &[Outcome]) -> String {
    let count = |s: State| outcomes.iter().filter(|o| o.state == s).count();
    format!(
        " intents · held {} / broken {} / unknown {} ",
        count(State::Held),
        count(State::Broken),
        count(State::Unknown)
    )
}

/// The list's lines (each intent, then each pair and, on a line of its own so a narrow terminal
/// cuts the pair and not the why, its reason), and the index of the selected intent's line.
pub fn lines(outcomes: &[Outcome], selected: usize) -> (Vec<(String, Health)>, usize) {
    let mut lines = Vec::new();
    let mut at = 0;
    for (i, o) in outcomes.iter().enumerate() {
        if i == selected {
            at = lines.len();
        }
        let mark = if i == selected { "▶" } else { " " };
        lines.push((
            format!("{mark} {:<8} {}", o.state.label(), o.name),
            health(o.state),
        ));
        for c in &o.checks {
            lines.push((
                format!("      {:<8} {}", c.state.label(), c.what),
                health(c.state),
            ));
            lines.push((format!("               {}", c.reason), health(c.state)));
        }
    }
    (lines, at)
}
