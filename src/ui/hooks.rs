//! Hooks: the simulation clock and the keyboard shortcuts.

mod use_keyboard;
mod use_sim_clock;

pub use use_keyboard::use_keyboard;
pub use use_sim_clock::{TICK_MS, use_sim_clock};
