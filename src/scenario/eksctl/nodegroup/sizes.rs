//! Node group sizes as eksctl reads and checks them (`desiredCapacity`, `minSize`, `maxSize`,
//! their `--nodes` flags, `maxPodsPerNode`, `volumeSize`), then EKS's quota and the lab's
//! limits: one set of functions for ClusterConfig files, eksctl's flags and the builder form.

use super::sizes as default_sizes;
use crate::scenario::decode::{Obj, Sink};
use crate::sim::eks::quotas::MAX_NODES_PER_MANAGED_NODEGROUP;
use crate::sim::spec::NodegroupSpec;

/// A node group size field: `desiredCapacity` (`--nodes`), `minSize` (`--nodes-min`),
/// `maxSize` (`--nodes-max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeField {
    Desired,
    Min,
    Max,
}

impl SizeField {
    pub const fn key(self) -> &'static str {
        match self {
            SizeField::Desired => "desiredCapacity",
            SizeField::Min => "minSize",
            SizeField::Max => "maxSize",
        }
    }

    pub const fn flag(self) -> &'static str {
        match self {
            SizeField::Desired => "nodes",
            SizeField::Min => "nodes-min",
            SizeField::Max => "nodes-max",
        }
    }
}

/// One node group size as eksctl reads it (a Go `int`), checked the same way for a
/// ClusterConfig, eksctl's flags and the lab's form: a negative size with eksctl's own words
/// (`ValidateNumberOfNodes`, pkg/ctl/cmdutils/scale.go), then the lab's `MAX_NODEGROUP_SIZE`
/// (named as the lab's), which also keeps every size in the EKS API's int32. `shown` is how
/// the value appears where it was written (`--nodes=5000`, or `5000` after a file's path).
pub fn size(field: SizeField, value: i64, shown: impl std::fmt::Display) -> Result<i32, String> {
    if value < 0 {
        return Err(match field {
            SizeField::Desired => "number of nodes must be 0 or greater",
            SizeField::Min => "minimum number of nodes must be 0 or greater",
            SizeField::Max => "maximum number of nodes must be 0 or greater",
        }
        .to_string());
    }
    crate::limits::check::nodegroup_size(i128::from(value), shown)?;
    i32::try_from(value).map_err(|_| format!("{value} is out of range"))
}

/// `volumeSize` (`--node-volume-size`) in GiB: at least 1, and within the lab's largest
/// storage quantity (`MAX_MEMORY_BYTES`).
pub fn volume_size(gib: i64, shown: impl std::fmt::Display) -> Result<u64, String> {
    let Ok(g) = u64::try_from(gib) else {
        return Err("must be at least 1 (GiB)".to_string());
    };
    if g == 0 {
        return Err("must be at least 1 (GiB)".to_string());
    }
    crate::limits::check::memory_bytes(
        u128::from(g) * u128::from(crate::sim::quantity::GIB),
        format_args!("{shown} GiB"),
    )?;
    Ok(g)
}

/// `maxPodsPerNode` (`--max-pods-per-node`): eksctl refuses a negative one
/// (`<path>.maxPodsPerNode cannot be negative`, validateNodeGroupBase) and reads 0 as unset
/// ("set automatically if unspecified"); above the lab's `MAX_PODS` it is refused as the lab's.
pub fn max_pods_per_node(
    value: i64,
    shown: impl std::fmt::Display,
    path: &str,
) -> Result<Option<u64>, String> {
    if value < 0 {
        return Err(format!("{path}.maxPodsPerNode cannot be negative"));
    }
    crate::limits::check::pods_per_node(i128::from(value), shown)?;
    Ok(u64::try_from(value).ok().filter(|v| *v > 0))
}

/// eksctl's checks between the sizes given, in its order and words, for a ClusterConfig and
/// for `eksctl create nodegroup`'s flags alike (eksctl's messages name the flags for both):
/// `ValidateManagedNodeGroup` (pkg/apis/eksctl.io/v1alpha5/validation.go) for a managed group,
/// the node group stack builder (pkg/cfn/builder/nodegroup.go) for a self-managed one. The
/// error names the field it is about.
pub fn check_size_order(
    managed: bool,
    desired: Option<i32>,
    min: Option<i32>,
    max: Option<i32>,
) -> Result<(), (SizeField, String)> {
    if let (Some(d), Some(mn)) = (desired, min)
        && d < mn
    {
        return Err((
            SizeField::Desired,
            if managed {
                format!("cannot use --nodes-min={mn} and --nodes={d} at the same time")
            } else {
                format!("--nodes value ({d}) cannot be lower than --nodes-min value ({mn})")
            },
        ));
    }
    if let (Some(d), Some(mx)) = (desired, max)
        && d > mx
    {
        return Err((
            SizeField::Desired,
            if managed {
                format!("cannot use --nodes-max={mx} and --nodes={d} at the same time")
            } else {
                format!("--nodes value ({d}) cannot be greater than --nodes-max value ({mx})")
            },
        ));
    }
    if let (Some(mn), Some(mx)) = (min, max)
        && mx < mn
    {
        return Err((
            SizeField::Min,
            if managed {
                format!("cannot use --nodes-min={mn} and --nodes-max={mx} at the same time")
            } else {
                format!("--nodes-min value ({mn}) cannot be greater than --nodes-max value ({mx})")
            },
        ));
    }
    Ok(())
}

/// A managed node group's `maxSize` against EKS's quota of nodes per managed node group
/// (eks-facts §1, quota L-BD136A63; a self-managed group has only the lab's limit).
pub fn managed_max_size(max: i32) -> Result<(), String> {
    if max > MAX_NODES_PER_MANAGED_NODEGROUP {
        return Err(format!(
            "maxSize ({max}) exceeds the quota of {MAX_NODES_PER_MANAGED_NODEGROUP} nodes per managed node group"
        ));
    }
    Ok(())
}

pub(super) fn scaling(sink: &mut Sink, o: &Obj<'_>, ng: &mut NodegroupSpec, managed: bool) {
    // eksctl's sizes are `*int` of `ScalingConfig`, promoted into the node group's struct.
    let go_struct = if managed {
        "ManagedNodeGroup"
    } else {
        "NodeGroup"
    };
    let read = |sink: &mut Sink, field: SizeField| {
        let v = o.go_int(sink, field.key(), go_struct)?;
        size(field, v, v)
            .map_err(|e| sink.error(o.value_mark(field.key()), &o.at(field.key()), e))
            .ok()
    };
    let (d, mn, mx) = (
        read(sink, SizeField::Desired),
        read(sink, SizeField::Min),
        read(sink, SizeField::Max),
    );
    let (min, desired, max) = default_sizes(d, mn, mx);
    let at = |k: &str| (o.value_mark(k), o.at(k));
    if let Err((field, e)) = check_size_order(managed, d, mn, mx) {
        let (mark, path) = at(field.key());
        sink.error(mark, &path, e);
    } else if managed && let Err(e) = managed_max_size(max) {
        let (mark, path) = at("maxSize");
        sink.error(mark, &path, e);
    }
    ng.min_size = min;
    ng.desired_capacity = desired;
    ng.max_size = max;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_size_at_its_limits() {
        assert_eq!(size(SizeField::Max, 1000, 1000), Ok(1000));
        assert_eq!(
            size(SizeField::Max, 1001, "--nodes-max=1001"),
            Err("the lab runs at most 1000 nodes in a node group: --nodes-max=1001 is more than that".into())
        );
        assert!(size(SizeField::Desired, i64::MAX, i64::MAX).is_err());
        for (field, want) in [
            (SizeField::Desired, "number of nodes must be 0 or greater"),
            (
                SizeField::Min,
                "minimum number of nodes must be 0 or greater",
            ),
            (
                SizeField::Max,
                "maximum number of nodes must be 0 or greater",
            ),
        ] {
            assert_eq!(size(field, -1, -1), Err(want.into()));
        }
        assert_eq!(managed_max_size(450), Ok(()));
        assert!(managed_max_size(451).is_err());
    }

    #[test]
    fn size_order_in_eksctls_words_per_kind() {
        let cases = [
            (
                Some(1),
                Some(2),
                None,
                "cannot use --nodes-min=2 and --nodes=1 at the same time",
                "--nodes value (1) cannot be lower than --nodes-min value (2)",
            ),
            (
                Some(5),
                None,
                Some(3),
                "cannot use --nodes-max=3 and --nodes=5 at the same time",
                "--nodes value (5) cannot be greater than --nodes-max value (3)",
            ),
            (
                None,
                Some(4),
                Some(2),
                "cannot use --nodes-min=4 and --nodes-max=2 at the same time",
                "--nodes-min value (4) cannot be greater than --nodes-max value (2)",
            ),
        ];
        for (d, mn, mx, managed, self_managed) in cases {
            assert_eq!(check_size_order(true, d, mn, mx).unwrap_err().1, managed);
            assert_eq!(
                check_size_order(false, d, mn, mx).unwrap_err().1,
                self_managed
            );
        }
        assert_eq!(check_size_order(true, Some(2), Some(1), Some(3)), Ok(()));
        assert_eq!(check_size_order(false, None, None, None), Ok(()));
    }

    #[test]
    fn volume_and_max_pods() {
        assert_eq!(volume_size(65_536, 65_536), Ok(65_536));
        assert_eq!(
            volume_size(65_537, 65_537),
            Err("the lab takes memory and storage quantities up to 64Ti: 65537 GiB is more than that".into())
        );
        assert_eq!(volume_size(0, 0), Err("must be at least 1 (GiB)".into()));
        assert_eq!(volume_size(-5, -5), Err("must be at least 1 (GiB)".into()));
        assert_eq!(max_pods_per_node(0, 0, "nodeGroups[0]"), Ok(None));
        assert_eq!(
            max_pods_per_node(10_000, 0, "nodeGroups[0]"),
            Ok(Some(10_000))
        );
        assert_eq!(
            max_pods_per_node(-1, -1, "nodeGroups[2]"),
            Err("nodeGroups[2].maxPodsPerNode cannot be negative".into())
        );
        assert!(max_pods_per_node(10_001, 10_001, "x").is_err());
    }
}
