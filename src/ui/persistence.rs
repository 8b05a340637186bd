//! Browser glue for saving and sharing: reads the share link or the autosave at start-up,
//! writes the autosave, and builds share URLs. The encoding itself is `view::persist`.

use std::rc::Rc;

use crate::sim::clock::SimTime;
use crate::sim::spec::LabSpec;
use crate::ui::state::{LabState, Rescue};
use crate::view::persist::{self, CORRUPT_KEY, STORAGE_KEY};

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// The lab to start with: a share link in the URL wins, then the autosave, then the demo. A
/// link that cannot be read leaves the learner's own saved lab in place (with a message and
/// the link's text to download); a save that cannot be read is kept under another key rather
/// than overwritten, and offered for download too.
pub fn initial_state() -> LabState {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    let mut link_problem = None;
    if hash.contains("lab=") {
        clear_hash();
        match persist::decode_fragment(&hash) {
            Ok(Some(r)) => {
                let mut s = LabState::restored(r);
                if s.notice.is_none() {
                    s.notice = Some("Opened the shared lab.".into());
                }
                return s;
            }
            Ok(None) => {}
            Err(u) => link_problem = Some(u),
        }
    }
    let mut state = from_save();
    if let Some(u) = link_problem {
        state.notice = Some(format!(
            "The share link could not be opened: {}. Your own lab is unchanged; download the link's contents to keep them.",
            u.message
        ));
        state.rescue = Some(Rc::new(rescue_of("shared-lab", &u.text)));
    }
    state
}

/// The autosaved lab, or the demo.
fn from_save() -> LabState {
    let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    match saved {
        None => fresh(None),
        Some(text) => match persist::decode_save(&text) {
            Ok(r) => LabState::restored(r),
            Err(u) => {
                if let Some(s) = storage() {
                    let _ = s.set_item(CORRUPT_KEY, &text);
                    let _ = s.remove_item(STORAGE_KEY);
                }
                let mut s = fresh(Some(format!(
                    "Your saved lab could not be restored: {}. It was kept aside in this browser's storage (key {CORRUPT_KEY}) and you can download it; showing a fresh lab.",
                    u.message
                )));
                s.rescue = Some(Rc::new(rescue_of("unreadable-lab", &u.text)));
                s
            }
        },
    }
}

/// A download of text that could not be opened: YAML as `.yaml`, anything else as `.txt`.
fn rescue_of(stem: &str, text: &str) -> Rescue {
    let yaml = text.contains("apiVersion");
    Rescue {
        file_name: format!("{stem}.{}", if yaml { "yaml" } else { "txt" }),
        text: text.to_string(),
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
