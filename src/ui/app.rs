//! The lab's one screen: top bar (cluster, clock, controls, cost), the cluster in the centre,
//! the event log on the right. Renders `TopBar`, `ClusterPanel` and `EventLog`; dispatches
//! `LabAction`s from their callbacks and from the keyboard.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::cluster_panel::ClusterPanel;
use crate::ui::components::event_log::{EventLog, EventRow};
use crate::ui::components::top_bar::{TopBar, TopBarModel};
use crate::ui::hooks::{use_keyboard, use_sim_clock};
use crate::ui::state::{LabAction, LabState};
use crate::view::cluster::ClusterView;
use crate::view::demo::demo_spec;

#[function_component(App)]
pub fn app() -> Html {
    let lab = use_reducer(|| LabState::new(demo_spec()));
    use_sim_clock(&lab);
    use_keyboard(&lab);

    let generation = lab.generation;
    let cluster = {
        let lab = lab.clone();
        use_memo(generation, move |_| {
            ClusterView::from_sim(&lab.sim.borrow())
        })
    };
    let events = {
        let lab = lab.clone();
        use_memo(generation, move |_| {
            Rc::new(EventRow::latest(&lab.sim.borrow(), 200))
        })
    };
    let top = TopBarModel::from_state(&lab);

    let on_toggle = {
        let lab = lab.clone();
        Callback::from(move |()| lab.dispatch(LabAction::TogglePlay))
    };
    let on_step = {
        let lab = lab.clone();
        Callback::from(move |()| lab.dispatch(LabAction::Step))
    };
    let on_speed = {
        let lab = lab.clone();
        Callback::from(move |i: usize| lab.dispatch(LabAction::SetSpeed(i)))
    };

    html! {
        <div class="lab">
            <TopBar model={top} {on_toggle} {on_step} {on_speed} />
            if let Some(n) = &lab.notice {
                <div class="notice" role="status">{ n.clone() }</div>
            }
            <main class="workspace">
                <section class="cluster-area" aria-label="Cluster">
                    <ClusterPanel view={cluster} />
                </section>
                <aside class="events-area" aria-label="Events">
                    <EventLog rows={(*events).clone()} />
                </aside>
            </main>
        </div>
    }
}
