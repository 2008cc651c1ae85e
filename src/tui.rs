//! The terminal: raw mode and alternate screen while the app runs, restored on drop, on
//! error and on panic (ratatui's init installs a panic hook that restores first).

use ratatui::DefaultTerminal;

/// Owns the terminal for the app's lifetime; dropping it restores the terminal.
pub struct Tui {
    pub terminal: DefaultTerminal,
}

impl Tui {
    /// Enters raw mode and the alternate screen.
    pub fn enter() -> std::io::Result<Tui> {
        Ok(Tui {
            terminal: ratatui::try_init()?,
        })
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
