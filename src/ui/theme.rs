//! Semantic styles. Widgets ask for `theme.selected` or `theme.health(h)`, never for raw
//! colours. Themes are TOML files: the built-in ones in `themes/` are embedded; `--theme`
//! takes a built-in name or a path. A file only sets what it wants; the rest comes from the
//! built-in `dark` theme. `NO_COLOR` drops every colour and keeps bold/reverse.

use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::model::health::Health;

/// Built-in themes: (name, TOML source).
pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
];

/// A style as written in a theme file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    /// Colour name (`red`, `lightblue`), `#rrggbb`, or a 0–255 index.
    pub fg: Option<String>,
    pub bg: Option<String>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub reversed: Option<bool>,
    pub dim: Option<bool>,
}

macro_rules! theme_styles {
    ($($name:ident: $doc:literal),+ $(,)?) => {
        /// The `[styles]` table of a theme file; every entry optional.
        #[derive(Clone, Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct StylesFile { $(#[doc = $doc] pub $name: Option<StyleSpec>,)+ }

        /// Resolved styles, one per semantic role.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Theme { pub name: String, $(#[doc = $doc] pub $name: Style,)+ }

        impl Theme {
            fn overlay(&mut self, file: &StylesFile) -> Result<(), String> {
                $(if let Some(spec) = &file.$name {
                    self.$name = resolve(spec).map_err(|e| format!("styles.{}.{e}", stringify!($name)))?;
                })+
                Ok(())
            }

            fn strip_colours(&mut self) {
                $(self.$name = Style { fg: None, bg: None, ..self.$name };)+
            }
        }
    };
}

theme_styles! {
    base: "Whole-screen background and text.",
    header: "Top bar.",
    mode_read_only: "READ-ONLY badge.",
    mode_write: "WRITE badge.",
    pane_active: "Current pane in the pane bar.",
    pane: "Other panes in the pane bar.",
    tab_active: "Current table tab.",
    tab: "Other tabs.",
    border: "Table borders.",
    title: "Table titles.",
    header_row: "Column headings.",
    selected: "Selected row.",
    changed: "Rows changed in the last poll.",
    good: "Healthy states (available, up).",
    pending: "States in transition (pending, ordering).",
    bad: "Broken states (down, blackhole).",
    fresh: "Freshness note of data read recently.",
    stale: "Freshness note of stale data.",
    error: "API errors.",
    muted: "Secondary text.",
    filter: "Active filter.",
    key: "Key names in hints and help.",
    footer: "Bottom bar.",
    severity_critical: "Critical findings.",
    severity_high: "High findings.",
    severity_medium: "Medium findings.",
    severity_low: "Low findings.",
    severity_info: "Informational findings.",
}

/// A theme file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    /// Optional display name.
    pub name: Option<String>,
    #[serde(default)]
    pub styles: StylesFile,
}

fn colour(v: &str) -> Result<Color, String> {
    v.parse::<Color>()
        .map_err(|_| format!("'{v}' is not a colour (use a name like 'red', '#rrggbb' or 0-255)"))
}

fn resolve(spec: &StyleSpec) -> Result<Style, String> {
    let mut s = Style::default();
    if let Some(fg) = &spec.fg {
        s = s.fg(colour(fg).map_err(|e| format!("fg: {e}"))?);
    }
    if let Some(bg) = &spec.bg {
        s = s.bg(colour(bg).map_err(|e| format!("bg: {e}"))?);
    }
    for (on, m) in [
        (spec.bold, Modifier::BOLD),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.reversed, Modifier::REVERSED),
        (spec.dim, Modifier::DIM),
    ] {
        if on == Some(true) {
            s = s.add_modifier(m);
        }
    }
    Ok(s)
}

/// A theme file that could not be used; the message names the file and the field.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeError(pub String);

impl std::fmt::Display for ThemeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ThemeError {}

/// Parses theme TOML from `origin` (a file path or `built-in NAME`, used in errors).
pub fn parse(origin: &str, text: &str) -> Result<ThemeFile, ThemeError> {
    let de = toml::Deserializer::parse(text)
        .map_err(|e| ThemeError(format!("theme {origin}: invalid TOML: {}", e.message())))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        ThemeError(format!(
            "theme {origin}: field `{path}`: {}",
            e.inner().message()
        ))
    })
}

impl Theme {
    /// Loads `--theme NAME|PATH` (default `dark`), honouring `NO_COLOR` when `no_color`.
    pub fn load(choice: Option<&str>, no_color: bool) -> Result<Theme, ThemeError> {
        let choice = choice.unwrap_or("dark");
        let mut theme = Theme::from_builtin("dark")?;
        let builtin = BUILTIN.iter().find(|(n, _)| *n == choice);
        let (origin, text) = match builtin {
            Some((n, t)) => (format!("built-in '{n}'"), t.to_string()),
            None => {
                let p = Path::new(choice);
                if !p.exists() {
                    let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
                    return Err(ThemeError(format!(
                        "theme '{choice}': no such built-in theme ({}) and no such file",
                        names.join(", ")
                    )));
                }
                let text = std::fs::read_to_string(p)
                    .map_err(|e| ThemeError(format!("theme {}: cannot read: {e}", p.display())))?;
                (p.display().to_string(), text)
            }
        };
        let file = parse(&origin, &text)?;
        theme
            .overlay(&file.styles)
            .map_err(|e| ThemeError(format!("theme {origin}: field `{e}`")))?;
        theme.name = file.name.unwrap_or_else(|| choice.to_string());
        if no_color {
            theme.strip_colours();
            theme.selected = theme.selected.add_modifier(Modifier::REVERSED);
            theme.tab_active = theme.tab_active.add_modifier(Modifier::REVERSED);
            theme.pane_active = theme.pane_active.add_modifier(Modifier::REVERSED);
            theme.bad = theme.bad.add_modifier(Modifier::BOLD);
        }
        Ok(theme)
    }

    fn from_builtin(name: &str) -> Result<Theme, ThemeError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ThemeError(format!("no built-in theme '{name}'")))?;
        let file = parse(&format!("built-in '{name}'"), text)?;
        let mut t = Theme {
            name: name.into(),
            ..Default::default()
        };
        t.overlay(&file.styles)
            .map_err(|e| ThemeError(format!("theme built-in '{name}': field `{e}`")))?;
        Ok(t)
    }

    /// The style of a finding severity.
    pub fn severity(&self, s: crate::findings::Severity) -> Style {
        use crate::findings::Severity::*;
        match s {
            Critical => self.severity_critical,
            High => self.severity_high,
            Medium => self.severity_medium,
            Low => self.severity_low,
            Info => self.severity_info,
        }
    }

    /// The style of a state by its health.
    /// The style of a status text's tone.
    pub fn tone(&self, t: crate::view::Tone) -> Style {
        use crate::view::Tone;
        match t {
            Tone::Muted => self.muted,
            Tone::Fresh => self.fresh,
            Tone::Stale => self.stale,
            Tone::Error => self.error,
            Tone::Pending => self.pending,
        }
    }

    pub fn health(&self, h: Health) -> Style {
        match h {
            Health::Good => self.good,
            Health::Pending => self.pending,
            Health::Bad => self.bad,
            Health::Neutral => Style::default(),
            Health::Unknown => self.stale,
        }
    }
}

/// Whether `NO_COLOR` asks for no colour (set and non-empty).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse_and_differ() {
        let dark = Theme::load(Some("dark"), false).unwrap();
        let light = Theme::load(Some("light"), false).unwrap();
        assert_ne!(dark.selected, light.selected);
        assert!(dark.bad.fg.is_some());
    }

    #[test]
    fn no_color_strips_colours_but_keeps_selection_visible() {
        let t = Theme::load(Some("dark"), true).unwrap();
        assert_eq!(t.bad.fg, None);
        assert_eq!(t.selected.bg, None);
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn broken_theme_files_name_file_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (
                "bad-colour.toml",
                "[styles.bad]\nfg = \"blurple\"\n",
                "styles.bad.fg",
            ),
            (
                "unknown-field.toml",
                "[styles.selected]\nfgg = \"red\"\n",
                "styles.selected",
            ),
            (
                "unknown-role.toml",
                "[styles.nonsense]\nfg = \"red\"\n",
                "styles",
            ),
            (
                "bad-type.toml",
                "[styles.bad]\nbold = \"yes\"\n",
                "styles.bad.bold",
            ),
            ("not-toml.toml", "[styles\nfg=", "invalid TOML"),
        ];
        for (name, body, needle) in cases {
            let p = dir.path().join(name);
            std::fs::write(&p, body).unwrap();
            let err = Theme::load(Some(p.to_str().unwrap()), false).unwrap_err().0;
            assert!(err.contains(name), "{err}");
            assert!(err.contains(needle), "{name}: {err}");
        }
        let missing = Theme::load(Some("no-such-theme"), false).unwrap_err().0;
        assert!(
            missing.contains("no-such-theme") && missing.contains("dark, light"),
            "{missing}"
        );
    }
}
