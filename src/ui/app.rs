//! The lab's one screen: the top bar (cluster, clock, controls, cost); on the left the builder,
//! workloads, scenarios, inspector and console tabs; the cluster in the centre; the event log on
//! the right; charts and the bill along the bottom. Components get small derived props and call
//! back; this file turns their callbacks into `LabAction`s.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::spec::LabSpec;
use crate::ui::components::builder::Builder;
use crate::ui::components::charts::Charts;
use crate::ui::components::cluster_panel::ClusterPanel;
use crate::ui::components::console::Console;
use crate::ui::components::cost_panel::{CostModel, CostPanel};
use crate::ui::components::event_log::{EventLog, EventRow};
use crate::ui::components::inspector::{Inspector, InspectorModel};
use crate::ui::components::scaling::Scaling;
use crate::ui::components::scenario_panel::ScenarioPanel;
use crate::ui::components::top_bar::{TopBar, TopBarModel};
use crate::ui::components::upgrades::Upgrades;
use crate::ui::components::workloads::{Workloads, deployment_rows};
use crate::ui::hooks::{use_keyboard, use_sim_clock};
use crate::ui::persistence;
use crate::ui::state::{LabAction, LabState, Selection, Tab};
use crate::view::cluster::{ClusterView, GroupKey};
use crate::view::scaling::ScalingModel;
use crate::view::upgrade::UpgradesModel;

/// How many of the newest events the log can show (and its filter searches).
const EVENT_ROWS: usize = 1000;

fn autosave(lab: &UseReducerHandle<LabState>, replay: &LabSpec) {
    let now = lab.sim.borrow().now();
    if let Err(e) = persistence::save(replay, now, lab.speed_idx)
        && lab.notice.is_none()
    {
        lab.dispatch(LabAction::Notice(Some(format!("Autosave failed: {e}"))));
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let lab = use_reducer(persistence::initial_state);
    use_sim_clock(&lab);
    use_keyboard(&lab);

    let generation = lab.generation;
    let cluster = {
        let lab = lab.clone();
        use_memo((generation, lab.open_group.clone()), move |(_, open)| {
            ClusterView::open(&lab.sim.borrow(), open.as_ref())
        })
    };
    // The log re-renders when events arrive, and refreshes its ages about once a second of
    // real time (every ten ticks), like `kubectl get events --watch`: rebuilding hundreds of
    // rows on every tick would cost more than a frame.
    let event_count = lab.sim.borrow().events().len();
    let events = {
        let lab = lab.clone();
        use_memo((event_count, generation / 10, lab.epoch), move |_| {
            Rc::new(EventRow::latest(&lab.sim.borrow(), EVENT_ROWS))
        })
    };
    let deployments = {
        let lab = lab.clone();
        use_memo(generation, move |_| {
            Rc::new(deployment_rows(&lab.sim.borrow()))
        })
    };
    let cautions = {
        let lab = lab.clone();
        use_memo(generation, move |_| {
            Rc::new(crate::ui::components::workloads::cautions(
                &lab.sim.borrow(),
            ))
        })
    };
    let namespaces = {
        let lab = lab.clone();
        use_memo(generation, move |_| {
            Rc::new(
                lab.sim
                    .borrow()
                    .state()
                    .namespaces
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        })
    };
    let replay = {
        let lab = lab.clone();
        use_memo((lab.epoch, lab.actions.len()), move |_| {
            Rc::new(lab.replay_spec())
        })
    };
    let yaml = {
        let replay = replay.clone();
        use_memo(replay.clone(), move |_| {
            Rc::new(crate::scenario::to_yaml(&replay))
        })
    };
    let now = lab.sim.borrow().now();
    // The share link follows the clock to the minute, so it is not rebuilt every frame.
    let share_url = {
        let replay = replay.clone();
        use_memo((replay.clone(), now.as_secs() / 60), move |(spec, _)| {
            Rc::new(persistence::share_url(spec, now))
        })
    };
    // Autosave: whenever the learner acts, plays, pauses or steps, or the lab is rebuilt, and
    // every ten ticks while it runs (a pause saves the exact time it stopped at).
    {
        let (lab, replay) = (lab.clone(), replay.clone());
        let running = lab.running;
        let moved = if running { generation / 10 } else { generation };
        use_effect_with((lab.epoch, lab.actions.len(), moved, running), move |_| {
            // Mid-replay the lab is behind the time it was saved at: keep the save as it is.
            if lab.replay.is_none() {
                autosave(&lab, &replay);
            }
        });
    }
    // Which charts show along the bottom, and which workload the scaling charts follow.
    let scaling_charts = use_state(|| false);
    let focus = use_state(|| None::<crate::sim::api::ObjectKey>);
    let focus_key = {
        let sim = lab.sim.borrow();
        let st = sim.state();
        (*focus)
            .clone()
            .filter(|k| st.deployments.contains_key(k))
            .or_else(|| {
                let user: Vec<_> = st
                    .deployments
                    .keys()
                    .filter(|k| k.namespace != "kube-system")
                    .collect();
                user.iter()
                    .find(|k| {
                        st.traffic.contains_key(**k)
                            || st.hpas.values().any(|h| {
                                h.meta.namespace == k.namespace && h.spec.target_name == k.name
                            })
                    })
                    .or(user.first())
                    .map(|k| (*k).clone())
            })
    };
    let charts = {
        let (lab, focus_key) = (lab.clone(), focus_key.clone());
        use_memo((generation, focus_key), move |(_, f)| {
            crate::view::charts::ChartSeries::focused(
                lab.sim.borrow().metrics().samples(),
                f.as_ref(),
            )
        })
    };
    let chart_kinds = if *scaling_charts {
        crate::view::charts::ChartKind::SCALING
    } else {
        crate::view::charts::ChartKind::ALL
    };
    let workload_options: Vec<String> = lab
        .sim
        .borrow()
        .state()
        .deployments
        .keys()
        .filter(|k| k.namespace != "kube-system")
        .map(ToString::to_string)
        .collect();
    let chart_toggle = {
        let scaling_charts = scaling_charts.clone();
        move |v: bool| {
            let scaling_charts = scaling_charts.clone();
            Callback::from(move |_: MouseEvent| scaling_charts.set(v))
        }
    };
    let on_focus = {
        let focus = focus.clone();
        Callback::from(move |e: Event| {
            let v = crate::ui::components::form::event_value(&e);
            focus.set(
                v.split_once('/')
                    .map(|(ns, n)| crate::sim::api::ObjectKey::new(ns, n)),
            );
        })
    };
    let inspector = {
        let lab = lab.clone();
        use_memo((generation, lab.selected.clone()), move |(_, sel)| {
            sel.as_ref()
                .map(|s| InspectorModel::build(&lab.sim.borrow(), s))
        })
    };
    let top = TopBarModel::from_state(&lab);
    let cost = CostModel::from_billing(lab.sim.borrow().billing());
    let last_result = crate::ui::state::last_outcome(&lab).map(|(_, _, r)| r);

    let dispatch = |f: fn() -> LabAction| {
        let lab = lab.clone();
        Callback::from(move |()| lab.dispatch(f()))
    };
    let on_speed = {
        let lab = lab.clone();
        Callback::from(move |i: usize| lab.dispatch(LabAction::SetSpeed(i)))
    };
    let on_build = {
        let lab = lab.clone();
        Callback::from(move |spec: LabSpec| lab.dispatch(LabAction::Reset(Box::new(spec))))
    };
    let on_submit = {
        let lab = lab.clone();
        Callback::from(
            move |(command, text): (crate::sim::command::Command, String)| {
                lab.dispatch(LabAction::Submit {
                    command: Box::new(command),
                    text,
                });
            },
        )
    };
    let on_open = {
        let lab = lab.clone();
        Callback::from(move |(spec, note): (LabSpec, String)| {
            lab.dispatch(LabAction::Reset(Box::new(spec)));
            lab.dispatch(LabAction::Notice(Some(note)));
        })
    };
    let on_restart = {
        let lab = lab.clone();
        Callback::from(move |()| lab.dispatch(LabAction::Reset(Box::new((*lab.base).clone()))))
    };
    let on_notice = {
        let lab = lab.clone();
        Callback::from(move |n: String| lab.dispatch(LabAction::Notice(Some(n))))
    };
    let on_select = {
        let lab = lab.clone();
        Callback::from(move |s: Selection| lab.dispatch(LabAction::Select(Some(s))))
    };
    let on_open_group = {
        let lab = lab.clone();
        Callback::from(move |g: Option<GroupKey>| lab.dispatch(LabAction::OpenGroup(g)))
    };
    let on_close = {
        let lab = lab.clone();
        Callback::from(move |()| lab.dispatch(LabAction::Select(None)))
    };
    let dismiss = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(LabAction::Notice(None)))
    };
    let stop_replay = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(LabAction::StopReplay))
    };
    let download_rescue = lab.rescue.clone().map(|r| {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = crate::ui::download::download(&r.file_name, &r.text) {
                lab.dispatch(LabAction::Notice(Some(format!("Download failed: {e}"))));
            }
        })
    });
    let tab_button = |t: Tab, label: &'static str| {
        let lab = lab.clone();
        let selected = lab.tab == t;
        let onclick = Callback::from(move |_: MouseEvent| lab.dispatch(LabAction::SetTab(t)));
        html! { <button role="tab" aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("active"))} {onclick}>{ label }</button> }
    };

    html! {
        <div class="lab">
            <TopBar model={top} on_toggle={dispatch(|| LabAction::TogglePlay)} on_step={dispatch(|| LabAction::Step)} {on_speed} />
            if let Some(r) = lab.replay {
                <div class="replay" role="status" data-testid="replay">
                    <span>{ r.label(now) }</span>
                    <progress max="100" value={r.percent(now).to_string()} aria-label="Replay progress"></progress>
                    <button type="button" onclick={stop_replay} data-testid="stop-replay">{ "Stop here" }</button>
                </div>
            }
            if let Some(n) = &lab.notice {
                <div class="notice" role="status" data-testid="notice">
                    <span>{ n.clone() }</span>
                    <span class="notice-actions">
                        if let (Some(r), Some(cb)) = (&lab.rescue, download_rescue) {
                            <button type="button" onclick={cb} data-testid="rescue">{ format!("Download {}", r.file_name) }</button>
                        }
                        <button type="button" onclick={dismiss} aria-label="Dismiss message">{ "×" }</button>
                    </span>
                </div>
            }
            <main class={classes!("workspace", matches!(lab.tab, Tab::Console | Tab::Inspect).then_some("wide-side"), (lab.tab == Tab::Upgrades).then_some("upgrade-side"))}>
                <aside class="side-area" aria-label="Lab tools">
                    <div class="tabs" role="tablist">
                        { tab_button(Tab::Build, "Cluster") }
                        { tab_button(Tab::Workloads, "Workloads") }
                        { tab_button(Tab::Scaling, "Scaling") }
                        { tab_button(Tab::Upgrades, "Upgrades") }
                        { tab_button(Tab::Console, "Console") }
                        { tab_button(Tab::Inspect, "Inspect") }
                        { tab_button(Tab::Scenario, "Scenarios") }
                    </div>
                    <div class="tab-body" role="tabpanel">
                        { match lab.tab {
                            Tab::Build => html! { <Builder base={lab.base.clone()} epoch={lab.epoch} {on_build} /> },
                            Tab::Workloads => html! { <Workloads rows={(*deployments).clone()} namespaces={(*namespaces).clone()} on_submit={on_submit.clone()} {last_result} cautions={(*cautions).clone()} /> },
                            Tab::Scaling => html! { <Scaling model={Rc::new(ScalingModel::from_sim(&lab.sim.borrow()))} on_submit={on_submit.clone()} /> },
                            Tab::Upgrades => html! { <Upgrades model={Rc::new(UpgradesModel::from_sim(&lab.sim.borrow()))} on_submit={on_submit.clone()} /> },
                            Tab::Console => html! { <Console sim={lab.sim.clone()} outcomes={lab.sim.borrow().outcomes().len()} {on_submit} /> },
                            Tab::Scenario => html! { <ScenarioPanel yaml={(*yaml).clone()} share_url={(*share_url).clone()} {on_open} {on_restart} {on_notice} /> },
                            Tab::Inspect => html! { <Inspector model={(*inspector).clone()} {on_close} /> },
                        } }
                    </div>
                </aside>
                <section class="cluster-area" aria-label="Cluster">
                    <ClusterPanel view={cluster} {on_select} {on_open_group} />
                </section>
                <aside class="events-area" aria-label="Events">
                    <EventLog rows={(*events).clone()} />
                </aside>
                <section class="bottom-area" aria-label="Charts and cost">
                    <CostPanel model={cost} />
                    <div class="chart-set">
                        <div class="chart-switch" role="group" aria-label="Which charts">
                            <button type="button" aria-pressed={(!*scaling_charts).to_string()} class={classes!((!*scaling_charts).then_some("active"))} onclick={chart_toggle(false)}>{ "Cluster" }</button>
                            <button type="button" aria-pressed={scaling_charts.to_string()} class={classes!(scaling_charts.then_some("active"))} onclick={chart_toggle(true)} data-testid="scaling-charts">{ "Scaling" }</button>
                            if *scaling_charts {
                                <select aria-label="Workload the scaling charts follow" onchange={on_focus}>
                                    { for workload_options.iter().map(|w| html! { <option value={w.clone()} selected={focus_key.as_ref().is_some_and(|k| k.to_string() == *w)}>{ w }</option> }) }
                                </select>
                            }
                        </div>
                        <Charts series={charts} kinds={chart_kinds} />
                    </div>
                </section>
            </main>
        </div>
    }
}
