//! Key bindings: action names (the `:` command names, e.g. `quit`, `refresh`, `page-down`,
//! `accept-peering`) bound to keys parsed by crokey (`q`, `ctrl-q`, `F5`, `shift-g`). The
//! defaults below are overridden per action by the `[keys]` table of the config file. Help and
//! the footer are generated from the resolved map, so they cannot drift.

use std::collections::BTreeMap;

use crokey::KeyCombination;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The default bindings of the global actions, with what each does (help text).
pub const DEFAULTS: &[(&str, &[&str], &str)] = &[
    ("quit", &["q"], "quit"),
    ("down", &["j", "down"], "next row"),
    ("up", &["k", "up"], "previous row"),
    ("page-down", &["pagedown"], "next page"),
    ("page-up", &["pageup"], "previous page"),
    ("top", &["g", "home"], "first row"),
    ("bottom", &["shift-g", "end"], "last row"),
    ("next-tab", &["tab", "l"], "next table of the pane"),
    ("prev-tab", &["backtab", "h"], "previous table of the pane"),
    (
        "scroll-left",
        &["left"],
        "scroll columns left (when the title says +N columns)",
    ),
    ("scroll-right", &["right"], "scroll columns right"),
    ("open", &["enter"], "details of the selected resource"),
    ("back", &["esc"], "back / clear filter"),
    ("filter", &["/"], "filter the current table"),
    (
        "command",
        &[":"],
        "command line (Tab completes, ↑/↓ recall)",
    ),
    ("help", &["?"], "this help"),
    ("refresh", &["r"], "refresh now"),
    ("findings-only", &["f"], "only rows with findings (toggle)"),
    (
        "copy-id",
        &["y"],
        "copy the selected resource's id (OSC 52)",
    ),
    (
        "copy-arn",
        &["shift-y"],
        "copy the selected resource's ARN (OSC 52)",
    ),
    ("sort", &["s"], "sort by the next column (again: reverse)"),
    (
        "raw",
        &["shift-r"],
        "raw JSON of the selected resource (secrets masked)",
    ),
    (
        "routes",
        &["o"],
        "BGP routes of the selected VIF (ListVirtualInterfaceRoutes)",
    ),
    (
        "path",
        &["p"],
        "path from the selected VPC, TGW attachment or endpoint to on-prem and back",
    ),
    (
        "impact",
        &["b"],
        "blast radius of the selected VIF, connection, LAG, device or location",
    ),
];

/// The resolved bindings.
#[derive(Clone, Debug, PartialEq)]
pub struct Keymap {
    /// Action name → its keys, in the order given.
    pub by_action: BTreeMap<String, Vec<KeyCombination>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::resolve(&BTreeMap::new(), &[]).expect("the default keymap is valid")
    }
}

/// A key as a lookup key: crokey's normalisation, and SHIFT dropped from non-letters (`?`
/// arrives as shift-`?` from some terminals and plain `?` from others).
pub fn normalize(k: KeyCombination) -> KeyCombination {
    let mut k = k.normalized();
    if let crokey::OneToThree::One(KeyCode::Char(c)) = k.codes
        && !c.is_ascii_alphabetic()
    {
        k.modifiers.remove(KeyModifiers::SHIFT);
    }
    k
}

/// A key as help shows it: `G` rather than `Shift-g`, crokey's text otherwise (`Ctrl-q`).
pub fn display(k: &KeyCombination) -> String {
    if k.modifiers == KeyModifiers::SHIFT
        && let crokey::OneToThree::One(KeyCode::Char(c)) = k.codes
        && c.is_ascii_alphabetic()
    {
        return c.to_ascii_uppercase().to_string();
    }
    k.to_string()
}

/// A workflow's default key as crokey writes it (`c`, `shift-c` for `C`).
pub fn char_key(c: char) -> String {
    if c.is_ascii_uppercase() {
        format!("shift-{}", c.to_ascii_lowercase())
    } else {
        c.to_string()
    }
}

/// Parses one key (`ctrl-q`, `F5`, `shift-g`, `?`); the error says what is wrong.
pub fn parse_key(s: &str) -> Result<KeyCombination, String> {
    crokey::parse(s)
        .map(normalize)
        .map_err(|_| format!("{s:?} is not a key (e.g. q, ctrl-q, F5, shift-g, pagedown, esc)"))
}

impl Keymap {
    /// The defaults with `overrides` (action → keys) applied. `workflows` are the workflow
    /// actions with their default key and the tables they act on (keys may repeat across
    /// workflows of different tables). Errors name the action (`keys.<action>`) and why:
    /// an unknown action, a key that does not exist, or a key bound twice.
    pub fn resolve(
        overrides: &BTreeMap<String, Vec<String>>,
        workflows: &[(&str, char, Vec<&str>)],
    ) -> Result<Keymap, String> {
        let mut by_action: BTreeMap<String, Vec<KeyCombination>> = BTreeMap::new();
        for (action, keys, _) in DEFAULTS {
            by_action.insert(
                action.to_string(),
                keys.iter()
                    .map(|k| parse_key(k))
                    .collect::<Result<_, _>>()?,
            );
        }
        for (action, key, _) in workflows {
            by_action.insert(action.to_string(), vec![parse_key(&char_key(*key))?]);
        }
        for (action, keys) in overrides {
            let name = action.replace('_', "-");
            if !by_action.contains_key(&name) {
                return Err(format!(
                    "keys.{action}: no such action (actions are the : command names, e.g. quit, refresh, accept-peering)"
                ));
            }
            let parsed = keys
                .iter()
                .map(|k| parse_key(k).map_err(|e| format!("keys.{action}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            by_action.insert(name, parsed);
        }
        // Duplicates: a key may serve several workflows only when their tables differ.
        let tables = |a: &str| {
            workflows
                .iter()
                .find(|(w, _, _)| *w == a)
                .map(|(_, _, t)| t.clone())
        };
        let mut seen: Vec<(KeyCombination, &str)> = Vec::new();
        for (action, keys) in &by_action {
            for k in keys {
                for (other_key, other) in &seen {
                    if other_key != k {
                        continue;
                    }
                    let clash = match (tables(action), tables(other)) {
                        (Some(a), Some(b)) => a.iter().any(|t| b.contains(t)),
                        _ => true,
                    };
                    if clash {
                        return Err(format!(
                            "keys: {k} is bound to both {other} and {action}: bind one of them to another key"
                        ));
                    }
                }
                seen.push((*k, action));
            }
        }
        Ok(Keymap { by_action })
    }

    /// The actions bound to a key press.
    pub fn actions_for(&self, key: KeyEvent) -> Vec<&str> {
        let k = normalize(KeyCombination::from(key));
        self.by_action
            .iter()
            .filter(|(_, keys)| keys.contains(&k))
            .map(|(a, _)| a.as_str())
            .collect()
    }

    /// Whether a key press is bound to `action`; an action the map does not know (a workflow
    /// of a map resolved without workflows) falls back to its `default` key.
    pub fn binds(&self, action: &str, key: KeyEvent, default: char) -> bool {
        let k = normalize(KeyCombination::from(key));
        match self.by_action.get(action) {
            Some(keys) => keys.contains(&k),
            None => parse_key(&char_key(default)).is_ok_and(|d| d == k),
        }
    }

    /// The keys of an action as text (`q`, `Ctrl-q`), joined by ` / `.
    pub fn keys_of(&self, action: &str) -> String {
        self.by_action
            .get(action)
            .map(|ks| ks.iter().map(display).collect::<Vec<_>>().join(" / "))
            .unwrap_or_default()
    }

    /// Like [`Keymap::keys_of`], with a workflow's default key when the map lacks it.
    pub fn keys_or(&self, action: &str, default: char) -> String {
        match self.by_action.get(action) {
            Some(_) => self.keys_of(action),
            None => parse_key(&char_key(default))
                .map(|k| display(&k))
                .unwrap_or_default(),
        }
    }

    /// The first key of an action (for the footer).
    pub fn key_of(&self, action: &str) -> Option<String> {
        self.by_action
            .get(action)
            .and_then(|ks| ks.first())
            .map(display)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn overrides_replace_defaults_and_bad_bindings_are_named() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), vec!["ctrl-q".to_string()]);
        let k = Keymap::resolve(&o, &[]).unwrap();
        assert!(
            k.actions_for(key(KeyCode::Char('q'), KeyModifiers::NONE))
                .is_empty()
        );
        assert_eq!(
            k.actions_for(key(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            vec!["quit"]
        );
        assert_eq!(
            k.actions_for(key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            vec!["help"]
        );
        assert_eq!(
            k.actions_for(key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            vec!["bottom"]
        );
        o.insert("quit".to_string(), vec!["ctrl-qq".to_string()]);
        let e = Keymap::resolve(&o, &[]).unwrap_err();
        assert!(
            e.starts_with("keys.quit:") && e.contains("not a key"),
            "{e}"
        );
        let mut o = BTreeMap::new();
        o.insert("refresh".to_string(), vec!["q".to_string()]);
        let e = Keymap::resolve(&o, &[]).unwrap_err();
        assert!(e.contains("bound to both"), "{e}");
        let mut o = BTreeMap::new();
        o.insert("no-such".to_string(), vec!["x".to_string()]);
        assert!(
            Keymap::resolve(&o, &[])
                .unwrap_err()
                .contains("no such action")
        );
    }

    #[test]
    fn workflow_keys_may_repeat_across_tables_only() {
        let wf = vec![("a-one", 'c', vec!["T1"]), ("a-two", 'c', vec!["T2"])];
        assert!(Keymap::resolve(&BTreeMap::new(), &wf).is_ok());
        let wf = vec![("a-one", 'c', vec!["T1"]), ("a-two", 'c', vec!["T1"])];
        assert!(Keymap::resolve(&BTreeMap::new(), &wf).is_err());
    }
}
