//! The browser UI (wasm32 only): Yew function components over one reducer that owns the
//! simulation. A timer only dispatches ticks; components get small derived props.

pub mod app;
pub mod components;
pub mod download;
pub mod fatal;
pub mod hooks;
pub mod persistence;
pub mod state;

/// Mounts the lab into `#app`, after installing the panic panel.
///
/// # Panics
///
/// Deliberately, when the page's hash is `#debug-panic`: the end-to-end suite uses it to check
/// that a crash shows the error panel.
pub fn start() {
    fatal::install();
    // Test hook for the end-to-end suite: proves a crash shows the error panel.
    if gloo::utils::window()
        .location()
        .hash()
        .is_ok_and(|h| h == "#debug-panic")
    {
        panic!("deliberate panic requested by #debug-panic");
    }
    match gloo::utils::document().get_element_by_id("app") {
        Some(root) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => fatal::show("The page has no #app element to draw the lab into."),
    }
}
