//! The work queues the API server fills for the controllers that watch pods, as an informer's
//! event handlers add object keys to each controller's workqueue upstream. The API server pushes
//! a key when it stores a change of a kind the controller watches; the controller drains its own
//! queue on its turn. Neither calls the other.

use std::collections::BTreeSet;

use crate::sim::api::ObjectKey;

/// The pods added for one controller since its last turn, by (uid, key), so in creation order;
/// and the pods deleted since then, which the controller forgets before it takes the new ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkQueue {
    added: BTreeSet<(u64, ObjectKey)>,
    deleted: BTreeSet<ObjectKey>,
}

impl WorkQueue {
    pub(crate) fn add(&mut self, uid: u64, key: &ObjectKey) {
        self.added.insert((uid, key.clone()));
    }

    /// The pod is gone: it leaves the queue, and the controller hears of it.
    pub(crate) fn delete(&mut self, key: &ObjectKey) {
        self.added.retain(|(_, k)| k != key);
        self.deleted.insert(key.clone());
    }

    /// Everything since the last turn: the deleted keys, then the added ones. A key deleted
    /// after it was added is not among the added, so forgetting first is always right.
    pub(crate) fn take(&mut self) -> (BTreeSet<ObjectKey>, BTreeSet<(u64, ObjectKey)>) {
        (
            std::mem::take(&mut self.deleted),
            std::mem::take(&mut self.added),
        )
    }
}

/// One queue per controller that watches pods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkQueues {
    /// New pods for `default-scheduler`.
    pub scheduler: WorkQueue,
    /// New pods for `fargate-scheduler`.
    pub fargate: WorkQueue,
    /// Pods bound to a node (by a scheduler's binding, or created with `spec.nodeName`).
    pub kubelet: WorkQueue,
    /// Pods whose hold on a node may have changed (bound, created bound, finished, resized),
    /// for the scheduler's node cache; deleted pods reach it through `scheduler`'s deletions.
    pub scheduler_cache: BTreeSet<ObjectKey>,
    /// Bumped whenever schedulable capacity may have grown (node added, ready, uncordoned;
    /// pod removed or finished), so unschedulable pods get another attempt: upstream's
    /// scheduling queue moves them back to active on those node and pod events.
    pub capacity_revision: u64,
}
