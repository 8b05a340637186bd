//! Keyboard shortcuts: space toggles play, `.` steps one second, `+`/`-` change speed.
//! Keys typed into form fields and buttons are left alone.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::state::{LabAction, LabState};

fn typing_into_a_control(e: &web_sys::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().as_str(),
                "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON"
            ) || el.has_attribute("contenteditable")
        })
}

#[hook]
pub fn use_keyboard(lab: &UseReducerHandle<LabState>) {
    let dispatcher = lab.dispatcher();
    use_effect_with((), move |()| {
        let listener = EventListener::new(&gloo::utils::document(), "keydown", move |event| {
            let Some(e) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if e.ctrl_key() || e.meta_key() || e.alt_key() || typing_into_a_control(e) {
                return;
            }
            let action = match e.key().as_str() {
                " " => LabAction::TogglePlay,
                "." => LabAction::Step,
                "+" | "=" => LabAction::Faster,
                "-" | "_" => LabAction::Slower,
                _ => return,
            };
            e.prevent_default();
            dispatcher.dispatch(action);
        });
        move || drop(listener)
    });
}
