//! The terminal: raw mode, alternate screen and bracketed paste while the app runs, restored
//! on drop, on error, on SIGTERM/SIGHUP/SIGINT (the event loop ends normally) and on panic
//! (ratatui's init installs a panic hook that restores first).

use ratatui::DefaultTerminal;

/// Owns the terminal for the app's lifetime; dropping it restores the terminal.
pub struct Tui {
    pub terminal: DefaultTerminal,
}

impl Tui {
    /// Enters raw mode and the alternate screen, with bracketed paste (a paste arrives as
    /// one text event, never as key presses).
    pub fn enter(mouse: bool) -> std::io::Result<Tui> {
        let terminal = ratatui::try_init()?;
        crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste)?;
        if mouse {
            crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
        }
        // ratatui's hook leaves raw mode and the alternate screen; this one also turns
        // bracketed paste off and shows the cursor, then runs the previous hook.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = crossterm::execute!(
                std::io::stdout(),
                crossterm::event::DisableBracketedPaste,
                crossterm::event::DisableMouseCapture,
                crossterm::cursor::Show
            );
            previous(info);
        }));
        Ok(Tui { terminal })
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::event::DisableBracketedPaste,
            crossterm::event::DisableMouseCapture,
            crossterm::cursor::Show
        );
        ratatui::restore();
    }
}
