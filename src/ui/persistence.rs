//! Browser glue for saving and sharing: reads the share link or the autosave at start-up,
//! writes the autosave, and builds share URLs. The encoding itself is `view::persist`.

use crate::sim::clock::SimTime;
use crate::sim::spec::LabSpec;
use crate::ui::state::LabState;
use crate::view::persist::{self, CORRUPT_KEY, STORAGE_KEY};

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// The lab to start with: a share link in the URL wins, then the autosave, then the demo. A
/// link or save that cannot be read gives a fresh lab and a message saying why; an unreadable
/// save is kept under another key rather than overwritten.
pub fn initial_state() -> LabState {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    if hash.contains("lab=") {
        clear_hash();
        return match persist::decode_fragment(&hash) {
            Ok(Some(r)) => {
                let mut s = LabState::restored(r);
                s.notice = Some("Opened the shared lab.".into());
                s
            }
            Ok(None) => fresh(None),
            Err(e) => fresh(Some(format!(
                "The share link could not be opened: {e}. Showing a fresh lab instead."
            ))),
        };
    }
    let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    match saved {
        None => fresh(None),
        Some(text) => match persist::decode_save(&text) {
            Ok(r) => LabState::restored(r),
            Err(e) => {
                if let Some(s) = storage() {
                    let _ = s.set_item(CORRUPT_KEY, &text);
                    let _ = s.remove_item(STORAGE_KEY);
                }
                fresh(Some(format!(
                    "Your saved lab could not be restored: {e}. It was kept aside in this browser's storage (key {CORRUPT_KEY}); showing a fresh lab."
                )))
            }
        },
    }
}

fn fresh(notice: Option<String>) -> LabState {
    let mut s = LabState::new(crate::view::demo::demo_spec());
    if notice.is_some() {
        s.notice = notice;
    }
    s
}

fn clear_hash() {
    let w = gloo::utils::window();
    if let (Ok(history), Ok(path)) = (w.history(), w.location().pathname()) {
        let search = w.location().search().unwrap_or_default();
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

/// Writes the autosave. Failures (storage full or disabled) are reported, not fatal.
pub fn save(spec: &LabSpec, time: SimTime, speed: usize) -> Result<(), String> {
    let text = persist::encode_save(spec, time, speed);
    let s = storage().ok_or("this browser does not allow local storage")?;
    s.set_item(STORAGE_KEY, &text)
        .map_err(|_| "the browser's storage is full or blocked".to_string())
}

/// A link to this lab at this time.
pub fn share_url(spec: &LabSpec, time: SimTime) -> String {
    let loc = gloo::utils::window().location();
    let base = format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    );
    format!("{base}#{}", persist::share_fragment(spec, time))
}
