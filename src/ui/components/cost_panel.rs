//! The bill: cost so far by component (control plane, EC2, Fargate, EBS), the rate now and the
//! projected 30-day bill, with the billing rule behind each line. Dispatches nothing.

use yew::prelude::*;

use crate::sim::billing::{Billing, CostComponent};
use crate::view::format;

/// One line of the bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostLine {
    pub label: &'static str,
    pub so_far: String,
    pub rate: String,
    pub share: u64,
    pub rule: &'static str,
}

/// The panel's model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostModel {
    pub lines: Vec<CostLine>,
    pub total: String,
    pub rate: String,
    pub projected: String,
}

impl CostModel {
    pub fn from_billing(b: &Billing) -> CostModel {
        let total = b.total_micro_usd();
        let lines = CostComponent::ALL
            .iter()
            .map(|c| CostLine {
                label: c.label(),
                so_far: format::usd(b.micro_usd(*c)),
                rate: format::usd_per_hour(b.rate(*c)),
                share: format::percent(b.micro_usd(*c), total),
                rule: match c {
                    CostComponent::ControlPlane => "$0.10/h per cluster; $0.60/h in extended support",
                    CostComponent::Ec2 => "On-Demand per second while running, 60 s minimum; Spot discounted",
                    CostComponent::Fargate => "$0.04048 per vCPU-h + $0.004445 per GB-h of the rounded size, per second, 1 min minimum",
                    CostComponent::Ebs => "gp3 root volumes, $0.08 per GB-month",
                },
            })
            .collect();
        CostModel {
            lines,
            total: format::usd(total),
            rate: format::usd_per_hour(b.total_rate()),
            projected: format::usd(b.projected_30_day_micro_usd()),
        }
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct CostPanelProps {
    pub model: CostModel,
}

#[function_component(CostPanel)]
pub fn cost_panel(p: &CostPanelProps) -> Html {
    let m = &p.model;
    html! {
        <section class="cost-panel" aria-label="Cost">
            <h2>{ "Cost" }</h2>
            <table data-testid="cost-table">
                <thead><tr><th>{ "Component" }</th><th>{ "So far" }</th><th>{ "Now" }</th></tr></thead>
                <tbody>
                    { for m.lines.iter().map(|l| html! {
                        <tr title={l.rule}>
                            <td>{ l.label }</td>
                            <td class="num" data-cost={l.label}>{ &l.so_far }</td>
                            <td class="num">{ &l.rate }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr><td>{ "Total" }</td><td class="num">{ &m.total }</td><td class="num">{ &m.rate }</td></tr>
                    <tr><td colspan="2">{ "Projected 30 days at this rate" }</td><td class="num" data-testid="cost-projected">{ &m.projected }</td></tr>
                </tfoot>
            </table>
        </section>
    }
}
