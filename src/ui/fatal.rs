//! The panic panel: if the lab ever crashes, say so on screen instead of leaving a blank page.

use wasm_bindgen::JsCast;

/// Routes panics to the console and to the visible `#fatal` panel.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&format!("{info}"));
    }));
}

/// Shows `detail` in the `#fatal` panel.
pub fn show(detail: &str) {
    let doc = gloo::utils::document();
    let Some(el) = doc.get_element_by_id("fatal") else {
        return;
    };
    let text = format!(
        "EKS Lab stopped because of an internal error. Reload the page to start again (your lab is saved in this browser). Details: {detail}"
    );
    el.set_text_content(Some(&text));
    let _ = el.remove_attribute("hidden");
    if let Some(html) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = html.focus();
    }
}
