//! The Amazon VPC CNI (ipamd): ENIs and secondary IPs on EC2 nodes (eks-facts §3). Not a
//! controller: it has no turn of its own. The kubelet calls it as it calls the CNI plugin (ADD
//! when a sandbox starts, DEL when it goes), the Auto Scaling group when an instance launches
//! or terminates, the API server when a pod is removed.
//!
//! Every ENI brings `IPv4 per ENI` addresses from the node's subnet (one primary, the rest
//! secondary IPs for pods). With the default `WARM_ENI_TARGET=1`, ipamd keeps a whole ENI's
//! worth of free secondary IPs attached, so a node holds the IPs its pods use plus a warm ENI.

use crate::sim::Simulation;
use crate::sim::catalog::instance_type;

/// Attaches one more ENI to an instance, taking its addresses from the subnet. Returns false
/// when the instance is at its ENI limit or the subnet has too few free addresses.
pub(crate) fn attach_eni(sim: &mut Simulation, instance_id: &str) -> bool {
    let Some(inst) = sim.state.instances.get(instance_id) else {
        return false;
    };
    let Some(it) = instance_type(&inst.instance_type) else {
        return false;
    };
    if inst.enis_attached >= it.enis {
        return false;
    }
    let Some(si) = sim.state.subnet_index(&inst.zone) else {
        return false;
    };
    let per = it.ipv4_per_eni;
    if u64::from(sim.state.subnets[si].free()) < per {
        return false;
    }
    let mut ips = Vec::new();
    for _ in 0..per {
        let hint = sim.rng.vpc.between(0, u64::from(u32::MAX)) as u32;
        if let Some(ip) = sim.state.subnets[si].allocate(hint) {
            ips.push(ip);
        }
    }
    let Some(inst) = sim.state.instances.get_mut(instance_id) else {
        return false;
    };
    let first_eni = inst.enis_attached == 0;
    inst.enis_attached += 1;
    inst.subnet_ips.extend(ips.iter().cloned());
    // The ENI's first address is its primary (for ENI 0, the node's own IP); the rest are
    // secondary IPs for pods.
    if first_eni {
        inst.private_ip.clone_from(&ips[0]);
    }
    inst.ip_pool.extend(ips.into_iter().skip(1));
    sim.state.touch();
    true
}

/// Gives a pod a secondary IP on `node`, attaching a new ENI when the warm pool runs low.
pub(crate) fn assign_pod_ip(sim: &mut Simulation, node: &str) -> Option<String> {
    let instance_id = sim.state.nodes.get(node)?.instance_id.clone();
    let inst = sim.state.instances.get(&instance_id)?;
    let mut ip = inst
        .ip_pool
        .iter()
        .find(|ip| !inst.ips_in_use.contains(*ip))
        .cloned();
    if ip.is_none() && attach_eni(sim, &instance_id) {
        let inst = sim.state.instances.get(&instance_id)?;
        ip = inst
            .ip_pool
            .iter()
            .find(|ip| !inst.ips_in_use.contains(*ip))
            .cloned();
    }
    let ip = ip?;
    sim.state
        .instances
        .get_mut(&instance_id)?
        .ips_in_use
        .insert(ip.clone());
    keep_warm(sim, &instance_id);
    Some(ip)
}

/// WARM_ENI_TARGET=1: keep at least one ENI's worth of free secondary IPs.
fn keep_warm(sim: &mut Simulation, instance_id: &str) {
    let Some(inst) = sim.state.instances.get(instance_id) else {
        return;
    };
    let Some(it) = instance_type(&inst.instance_type) else {
        return;
    };
    let free = inst.ip_pool.len() as u64 - inst.ips_in_use.len() as u64;
    if free < it.ipv4_per_eni - 1 {
        attach_eni(sim, instance_id);
    }
}

/// Returns a pod IP to the node's pool.
pub(crate) fn release_pod_ip(sim: &mut Simulation, node: &str, ip: &str) {
    let Some(instance_id) = sim.state.nodes.get(node).map(|n| n.instance_id.clone()) else {
        return;
    };
    if let Some(inst) = sim.state.instances.get_mut(&instance_id) {
        inst.ips_in_use.remove(ip);
    }
}

/// Returns every address an instance held to its subnet (instance terminated).
pub(crate) fn release_instance(sim: &mut Simulation, instance_id: &str) {
    let Some(inst) = sim.state.instances.get_mut(instance_id) else {
        return;
    };
    let ips = std::mem::take(&mut inst.subnet_ips);
    inst.ip_pool.clear();
    inst.ips_in_use.clear();
    inst.enis_attached = 0;
    let zone = inst.zone.clone();
    if let Some(si) = sim.state.subnet_index(&zone) {
        for ip in ips {
            sim.state.subnets[si].release(&ip);
        }
    }
    sim.state.touch();
}
