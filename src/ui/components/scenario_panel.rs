//! Scenarios: open a built-in example or a scenario file (the same YAML the runner reads),
//! download the current lab as a scenario file, get a share link, restart the lab.
//! Dispatches `Reset` and `Notice` through its callbacks.

use std::rc::Rc;

use gloo::file::File;
use gloo::file::callbacks::FileReader;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::scenario;
use crate::sim::spec::LabSpec;

/// The scenario files shipped with the lab (the same files as `examples/`).
pub const EXAMPLES: &[(&str, &str, &str)] = &[
    (
        "mixed",
        "All three data planes side by side",
        include_str!("../../../examples/mixed.yaml"),
    ),
    (
        "managed-nodegroup",
        "A managed node group runs out of room",
        include_str!("../../../examples/managed-nodegroup.yaml"),
    ),
    (
        "self-managed-nodegroup",
        "A self-managed node group you run yourself",
        include_str!("../../../examples/self-managed-nodegroup.yaml"),
    ),
    (
        "fargate",
        "Fargate only: one right-sized micro-VM per pod",
        include_str!("../../../examples/fargate.yaml"),
    ),
    (
        "hpa",
        "The HPA follows a traffic spike",
        include_str!("../../../examples/hpa.yaml"),
    ),
    (
        "cluster-autoscaler",
        "The Cluster Autoscaler adds nodes, then removes them",
        include_str!("../../../examples/cluster-autoscaler.yaml"),
    ),
    (
        "vpa",
        "The VPA right-sizes over-provisioned pods",
        include_str!("../../../examples/vpa.yaml"),
    ),
    (
        "spot",
        "Spot interruptions: two minutes' notice",
        include_str!("../../../examples/spot.yaml"),
    ),
    (
        "upgrade",
        "Upgrade 1.33 to 1.34 on every data plane",
        include_str!("../../../examples/upgrade.yaml"),
    ),
    (
        "upgrade-pdb-failure",
        "A PDB blocks a node group update: PodEvictionFailure",
        include_str!("../../../examples/upgrade-pdb-failure.yaml"),
    ),
    (
        "upgrade-rollback",
        "A failed health check rolls the control plane back",
        include_str!("../../../examples/upgrade-rollback.yaml"),
    ),
];

#[derive(Properties, PartialEq, Debug)]
pub struct ScenarioPanelProps {
    /// The lab as a scenario file (timeline includes the learner's actions).
    pub yaml: Rc<String>,
    /// A share link to this lab at this time.
    pub share_url: Rc<String>,
    pub on_open: Callback<(LabSpec, String)>,
    pub on_restart: Callback<()>,
    pub on_notice: Callback<String>,
}

/// Loads scenario text, or explains every problem with its line and column.
pub fn open_text(name: &str, text: &str) -> Result<(LabSpec, String), String> {
    opened(name, scenario::load(text))
}

/// Loads a scenario file's bytes: a file that is not UTF-8 is refused with the position of
/// its first bad byte, as the runner refuses it.
pub fn open_bytes(name: &str, bytes: &[u8]) -> Result<(LabSpec, String), String> {
    opened(name, scenario::load_bytes(bytes))
}

fn opened(
    name: &str,
    result: Result<scenario::Loaded, Vec<scenario::Diagnostic>>,
) -> Result<(LabSpec, String), String> {
    match result {
        Ok(loaded) => {
            let note = if loaded.warnings.is_empty() {
                format!("Opened {name}.")
            } else {
                let w: Vec<String> = loaded
                    .warnings
                    .iter()
                    .take(5)
                    .map(ToString::to_string)
                    .collect();
                format!(
                    "Opened {name} with {} warning(s): {}",
                    loaded.warnings.len(),
                    w.join("; ")
                )
            };
            Ok((loaded.spec, note))
        }
        Err(diags) => {
            let lines: Vec<String> = diags
                .iter()
                .filter(|d| d.severity == scenario::Severity::Error)
                .take(8)
                .map(ToString::to_string)
                .collect();
            Err(format!(
                "{name} was not opened; nothing changed. {}",
                lines.join("; ")
            ))
        }
    }
}

#[function_component(ScenarioPanel)]
pub fn scenario_panel(p: &ScenarioPanelProps) -> Html {
    let reader = use_state(|| None::<FileReader>);
    let open_example = {
        let (on_open, on_notice) = (p.on_open.clone(), p.on_notice.clone());
        move |idx: usize| {
            let (on_open, on_notice) = (on_open.clone(), on_notice.clone());
            Callback::from(move |_: MouseEvent| {
                let (name, _, text) = EXAMPLES[idx];
                match open_text(&format!("examples/{name}.yaml"), text) {
                    Ok(x) => on_open.emit(x),
                    Err(e) => on_notice.emit(e),
                }
            })
        }
    };
    let on_file = {
        let (on_open, on_notice, reader) = (p.on_open.clone(), p.on_notice.clone(), reader.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let name = file.name();
            // Refused by its size before a byte is read.
            if let Err(d) = scenario::check_size(file.size() as u64) {
                on_notice.emit(format!("{name} was not opened; nothing changed. {d}"));
                return;
            }
            let (on_open, on_notice) = (on_open.clone(), on_notice.clone());
            let task =
                gloo::file::callbacks::read_as_bytes(&File::from(file), move |res| match res {
                    Ok(bytes) => match open_bytes(&name, &bytes) {
                        Ok(x) => on_open.emit(x),
                        Err(e) => on_notice.emit(e),
                    },
                    Err(e) => on_notice.emit(format!("could not read {name}: {e}")),
                });
            reader.set(Some(task));
        })
    };
    let on_download = {
        let (yaml, on_notice) = (p.yaml.clone(), p.on_notice.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = crate::ui::download::download("eks-lab.yaml", &yaml) {
                on_notice.emit(format!("Download failed: {e}"));
            }
        })
    };
    let restart = p.on_restart.reform(|_: MouseEvent| ());
    html! {
        <div class="scenario-panel">
            <h2>{ "Scenarios" }</h2>
            <h3>{ "Examples" }</h3>
            <ul class="examples">
                { for EXAMPLES.iter().enumerate().map(|(i, (name, what, _))| html! {
                    <li><button type="button" onclick={open_example(i)} data-example={*name}>{ *name }</button><span>{ *what }</span></li>
                }) }
            </ul>
            <h3>{ "Your files" }</h3>
            <label class="file">{ "Open a scenario file (.yaml)" }
                <input type="file" accept=".yaml,.yml,text/yaml" onchange={on_file} aria-label="Open a scenario file" />
            </label>
            <p class="help">{ "An eksctl ClusterConfig, Kubernetes manifests and a Lab timeline, as the ekslab runner reads them." }</p>
            <button type="button" onclick={on_download}>{ "Download this lab (.yaml)" }</button>
            <h3>{ "Share" }</h3>
            <p class="help">{ "This link opens the same cluster at the same simulated time, in any browser." }</p>
            <input class="share" readonly=true value={(*p.share_url).clone()} aria-label="Share link" data-testid="share-link"
                onfocus={Callback::from(|e: FocusEvent| { if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); } })} />
            <a href={(*p.share_url).clone()} target="_blank" rel="noopener">{ "Open the link in a new tab" }</a>
            <h3>{ "Start over" }</h3>
            <button type="button" onclick={restart}>{ "Restart this lab from t=0" }</button>
        </div>
    }
}
