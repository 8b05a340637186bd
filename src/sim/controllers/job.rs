//! The Job controller: runs pods to completion up to `parallelism` until `completions`
//! succeed; `ttlSecondsAfterFinished` cleans up (on Fargate, completed pods bill until then).

use crate::sim::Simulation;
use crate::sim::Timer;
use crate::sim::api::pod::PodLab;
use crate::sim::api::{
    Kind, ObjectKey, ObjectMeta, ObjectRef, OwnerRef, Pod, PodPhase, PodStatus, count, int32,
};
use crate::sim::clock::SimDuration;
use crate::sim::event::{EventType, reason};

const SOURCE: &str = "job-controller";

/// Most pods one sync creates (upstream `MaxPodCreateDeletePerSync`, job_controller.go).
pub const MAX_POD_CREATE_DELETE_PER_SYNC: u64 = 500;

pub(crate) fn reconcile(sim: &mut Simulation) {
    let keys: Vec<ObjectKey> = sim
        .state
        .jobs
        .iter()
        .filter(|(_, j)| !j.is_complete())
        .map(|(k, _)| k.clone())
        .collect();
    for key in keys {
        let (mut active, mut succeeded, mut failed) = (0u64, 0u64, 0u64);
        for p in sim.state.pods.values() {
            if p.meta.namespace != key.namespace
                || !p
                    .meta
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.kind == Kind::Job && o.name == key.name)
            {
                continue;
            }
            match p.status.phase {
                PodPhase::Succeeded => succeeded += 1,
                PodPhase::Failed => failed += 1,
                _ if !p.is_terminating() => active += 1,
                _ => {}
            }
        }
        let job = &sim.state.jobs[&key];
        let (completions, parallelism, ttl) = (
            count(job.spec.completions),
            count(job.spec.parallelism),
            job.spec.ttl_seconds_after_finished,
        );
        if succeeded >= completions {
            let now = sim.now();
            if let Some(j) = sim.state.jobs.get_mut(&key) {
                j.status = crate::sim::api::JobStatus {
                    active: 0,
                    succeeded: int32(succeeded),
                    failed: int32(failed),
                    start_time: j.status.start_time,
                    completion_time: Some(now),
                };
            }
            sim.record(
                EventType::Normal,
                reason::COMPLETED,
                job_ref(&key),
                "Job completed".into(),
                SOURCE,
            );
            if let Some(ttl) = ttl {
                sim.after(
                    SimDuration::from_secs(count(ttl)),
                    Timer::JobTtlExpired(key.clone()),
                );
            }
            continue;
        }
        let want = parallelism.min(completions - succeeded);
        let mut created = 0;
        for _ in active..want.min(active + MAX_POD_CREATE_DELETE_PER_SYNC) {
            if !create_pod(sim, &key) {
                break;
            }
            created += 1;
        }
        if let Some(j) = sim.state.jobs.get_mut(&key) {
            j.status.active = int32(active + created);
            j.status.succeeded = int32(succeeded);
            j.status.failed = int32(failed);
        }
    }
}

fn job_ref(key: &ObjectKey) -> ObjectRef {
    ObjectRef::new(Kind::Job, key.namespace.clone(), key.name.clone())
}

/// Creates one pod of the Job; false when the API server refused it.
fn create_pod(sim: &mut Simulation, key: &ObjectKey) -> bool {
    let job = sim.state.jobs[key].clone();
    let name = crate::sim::api_server::generate_name(sim, &key.namespace, &key.name);
    let mut meta = ObjectMeta::named(key.namespace.clone(), name.clone());
    meta.labels = job.spec.template.labels.clone();
    meta.labels.insert("job-name".into(), key.name.clone());
    meta.labels
        .insert("batch.kubernetes.io/job-name".into(), key.name.clone());
    meta.annotations = job.spec.template.annotations.clone();
    meta.owner = Some(OwnerRef {
        kind: Kind::Job,
        name: key.name.clone(),
    });
    let mut spec = job.spec.template.spec.clone();
    if spec.restart_policy.is_empty() || spec.restart_policy == "Always" {
        spec.restart_policy = "Never".into();
    }
    let pod = Pod {
        meta,
        spec,
        status: PodStatus::default(),
        lab: PodLab {
            run_for_ms: Some(job.spec.run_for_ms),
            ..PodLab::default()
        },
    };
    let result = crate::sim::api_server::create_pod(sim, pod);
    crate::sim::api_server::record_creation(sim, job_ref(key), &name, result, SOURCE)
}

/// The TTL-after-finished controller deletes the Job and its pods.
pub(crate) fn ttl_expired(sim: &mut Simulation, key: &ObjectKey) {
    let _ = crate::sim::api_server::delete(sim, Kind::Job, key);
}
