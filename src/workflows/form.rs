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
    /// Cursor position in `value`, in characters (text and secret fields).
    pub cursor: usize,
}

/// The longest value a text field takes; a longer paste is cut, with a message.
pub const MAX_FIELD_LEN: usize = 256;

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
            cursor: 0,
            value: value.into(),
            hint: hint.into(),
        }
        .at_end()
    }

    pub fn secret(key: &'static str, label: &'static str, hint: impl Into<String>) -> Field {
        Field {
            key,
            label,
            kind: FieldKind::Secret,
            value: String::new(),
            hint: hint.into(),
            cursor: 0,
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
            cursor: 0,
        }
    }

    fn at_end(mut self) -> Field {
        self.cursor = self.value.chars().count();
        self
    }

    /// Applies one editing request (cursor movement, word and line deletes) to a text or
    /// secret field.
    pub fn edit(&mut self, req: tui_input::InputRequest) {
        if matches!(self.kind, FieldKind::Choice(_)) {
            return;
        }
        let mut i = tui_input::Input::new(std::mem::take(&mut self.value)).with_cursor(self.cursor);
        i.handle(req);
        self.cursor = i.cursor();
        self.value = i.value().to_string();
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
            f.cursor = f.value.chars().count();
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

    /// Types a character: into a text field at the cursor, or cycles a choice on Space.
    pub fn input(&mut self, c: char) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match f.kind {
            FieldKind::Choice(_) if c == ' ' => self.cycle(1),
            FieldKind::Choice(_) => {}
            _ if f.value.chars().count() >= MAX_FIELD_LEN => {}
            _ => f.edit(tui_input::InputRequest::InsertChar(c)),
        }
    }

    pub fn backspace(&mut self) {
        self.edit(tui_input::InputRequest::DeletePrevChar);
    }

    /// An editing request on the focused field.
    pub fn edit(&mut self, req: tui_input::InputRequest) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.edit(req);
        }
    }

    /// Whether the focused field is a choice (`←`/`→` cycle it instead of moving a cursor).
    pub fn focus_is_choice(&self) -> bool {
        self.fields
            .get(self.focus)
            .is_some_and(|f| matches!(f.kind, FieldKind::Choice(_)))
    }

    /// Pastes text into the focused text field at the cursor: control characters and newlines
    /// are dropped (a paste never presses a key), and the value is capped at
    /// [`MAX_FIELD_LEN`]. Returns a message when something was dropped or cut. A paste into
    /// a choice does nothing.
    pub fn paste(&mut self, text: &str) -> Option<String> {
        let f = self.fields.get_mut(self.focus)?;
        if matches!(f.kind, FieldKind::Choice(_)) {
            return Some(format!(
                "{} is a choice: paste ignored (←/→ to choose)",
                f.label
            ));
        }
        let (clean, note) =
            sanitize_paste(text, MAX_FIELD_LEN.saturating_sub(f.value.chars().count()));
        for c in clean.chars() {
            f.edit(tui_input::InputRequest::InsertChar(c));
        }
        note.map(|n| format!("{}: {n}", f.label))
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

/// Pasted text as it may enter a one-line field: control characters (newlines, Esc, tabs)
/// removed, at most `room` characters kept. The note says what was dropped or cut.
pub fn sanitize_paste(text: &str, room: usize) -> (String, Option<String>) {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    let dropped = text.chars().count() - clean.chars().count();
    let total = clean.chars().count();
    let kept: String = clean.chars().take(room).collect();
    let mut notes = Vec::new();
    if dropped > 0 {
        notes.push(format!(
            "{dropped} control character(s) and newline(s) removed from the paste"
        ));
    }
    if total > room {
        notes.push(format!(
            "paste cut to {room} of {total} characters (the field's limit)"
        ));
    }
    (kept, (!notes.is_empty()).then(|| notes.join("; ")))
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

    #[test]
    fn a_paste_is_text_only_and_capped() {
        let mut f = Form::new(vec![Field::text("cidr", "CIDR", "", "")]);
        let note = f.paste("10.99.9.0/24\ny\r");
        assert_eq!(f.get("cidr"), "10.99.9.0/24y");
        assert!(note.unwrap().contains("removed"));
        let long = "x".repeat(10_000);
        let note = f.paste(&long);
        assert_eq!(f.get("cidr").chars().count(), MAX_FIELD_LEN);
        assert!(note.unwrap().contains("cut"));
        f.edit(tui_input::InputRequest::DeleteLine);
        assert_eq!(f.get("cidr"), "");
        for c in "10.0.0.0/8".chars() {
            f.input(c);
        }
        f.edit(tui_input::InputRequest::GoToStart);
        f.input('#');
        assert_eq!(f.get("cidr"), "#10.0.0.0/8", "typing goes in at the cursor");
    }
}
