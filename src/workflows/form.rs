//! Keyboard forms: text, secret (drawn masked) and choice fields; `Tab`/`Shift-Tab` move
//! between fields, typing edits text, `←`/`→` (or Space) cycle a choice.

/// What a field holds.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldKind {
    Text,
    /// Drawn as `********`; never shown or logged.
    Secret,
    /// One of `(value, label)`; `value` is what the form yields.
    Choice(Vec<(String, String)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Stable key the plan builder reads.
    pub key: &'static str,
    /// What the user sees, and what errors name.
    pub label: &'static str,
    pub kind: FieldKind,
    pub value: String,
    pub hint: String,
}

impl Field {
    pub fn text(
        key: &'static str,
        label: &'static str,
        value: impl Into<String>,
        hint: impl Into<String>,
    ) -> Field {
        Field {
            key,
            label,
            kind: FieldKind::Text,
            value: value.into(),
            hint: hint.into(),
        }
    }

    pub fn secret(key: &'static str, label: &'static str, hint: impl Into<String>) -> Field {
        Field {
            key,
            label,
            kind: FieldKind::Secret,
            value: String::new(),
            hint: hint.into(),
        }
    }

    /// A choice; the first option is selected unless `selected` names another value.
    pub fn choice(
        key: &'static str,
        label: &'static str,
        options: Vec<(String, String)>,
        selected: Option<&str>,
    ) -> Field {
        let value = selected
            .filter(|s| options.iter().any(|(v, _)| v == s))
            .map(str::to_string)
            .or_else(|| options.first().map(|(v, _)| v.clone()))
            .unwrap_or_default();
        Field {
            key,
            label,
            kind: FieldKind::Choice(options),
            value,
            hint: "←/→ to choose".into(),
        }
    }

    /// The text drawn for the value (secrets masked, choices by label).
    pub fn display(&self) -> String {
        match &self.kind {
            FieldKind::Secret if self.value.is_empty() => String::new(),
            FieldKind::Secret => crate::model::secret::MASK.to_string(),
            FieldKind::Choice(opts) => opts
                .iter()
                .find(|(v, _)| *v == self.value)
                .map(|(_, l)| l.clone())
                .unwrap_or_default(),
            FieldKind::Text => self.value.clone(),
        }
    }
}

/// A form: fields and the focused one.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        Form { fields, focus: 0 }
    }

    /// The value of a field by key (empty when absent).
    pub fn get(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.as_str())
            .unwrap_or("")
    }

    pub fn label(&self, key: &str) -> &'static str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label)
            .unwrap_or("field")
    }

    pub fn set(&mut self, key: &str, value: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.value = value.to_string();
        }
    }

    pub fn next(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    /// Types a character: into a text field, or cycles a choice on Space.
    pub fn input(&mut self, c: char) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match f.kind {
            FieldKind::Choice(_) if c == ' ' => self.cycle(1),
            FieldKind::Choice(_) => {}
            _ => f.value.push(c),
        }
    }

    pub fn backspace(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus)
            && !matches!(f.kind, FieldKind::Choice(_))
        {
            f.value.pop();
        }
    }

    /// Moves a choice field's selection by `delta` options.
    pub fn cycle(&mut self, delta: isize) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        if let FieldKind::Choice(opts) = &f.kind
            && !opts.is_empty()
        {
            let i = opts.iter().position(|(v, _)| *v == f.value).unwrap_or(0) as isize;
            let n = opts.len() as isize;
            f.value = opts[((i + delta) % n + n) as usize % opts.len()].0.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_moving_and_choosing() {
        let mut f = Form::new(vec![
            Field::text("name", "Name", "", ""),
            Field::choice(
                "dir",
                "Direction",
                vec![
                    ("INBOUND".into(), "inbound".into()),
                    ("OUTBOUND".into(), "outbound".into()),
                ],
                None,
            ),
            Field::secret("key", "Auth key", ""),
        ]);
        for c in "corp".chars() {
            f.input(c);
        }
        f.backspace();
        assert_eq!(f.get("name"), "cor");
        f.next();
        assert_eq!(f.get("dir"), "INBOUND");
        f.cycle(1);
        assert_eq!(f.get("dir"), "OUTBOUND");
        f.cycle(1);
        assert_eq!(f.get("dir"), "INBOUND");
        f.input('x');
        assert_eq!(f.get("dir"), "INBOUND", "typing does not change a choice");
        f.next();
        f.input('s');
        assert_eq!(f.fields[2].display(), "********");
        f.next();
        assert_eq!(f.focus, 0);
        f.prev();
        assert_eq!(f.focus, 2);
    }
}
