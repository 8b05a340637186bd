//! Small form pieces shared by the panels: a labelled field with its help text and the eksctl
//! field it maps to, and an error line.

use yew::prelude::*;

use crate::view::builder::FieldHelp;

/// A labelled control with help underneath. `id` ties the label to the control.
pub fn field(id: &str, help: FieldHelp, control: Html, error: Option<&str>) -> Html {
    let help_id = format!("{id}-help");
    html! {
        <div class={classes!("field", error.is_some().then_some("has-error"))}>
            <label for={id.to_string()}>{ help.label }</label>
            { control }
            <p class="help" id={help_id}>
                { help.help }
                if !help.eksctl.is_empty() { <code class="maps-to" title="The field in an eksctl ClusterConfig">{ help.eksctl }</code> }
            </p>
            if let Some(e) = error { <p class="error" role="alert">{ e }</p> }
        </div>
    }
}

/// The value of the input, select or textarea an event came from.
pub fn event_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(t) = e.target() else {
        return String::new();
    };
    if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    if let Some(s) = t.dyn_ref::<web_sys::HtmlSelectElement>() {
        return s.value();
    }
    if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return a.value();
    }
    String::new()
}

/// Whether the checkbox an event came from is checked.
pub fn event_checked(e: &Event) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}
