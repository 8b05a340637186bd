//! The mappings of eksctl's `ClusterConfig` schema (`pkg/apis/eksctl.io/v1alpha5/assets/
//! schema.json` @ 99984ad), one table per schema definition: every property is decoded
//! (`known`), accepted with a "not modelled" warning (`unmodelled`, or `noted` with what the lab
//! does instead where that changes what a learner would see), or ignored without a word
//! (`silent`). A key eksctl does not know stays an "unknown field" error with a hint, as eksctl's
//! strict decoding refuses it. The contents of an unmodelled field are not read.

use crate::scenario::decode::{Fields, Obj, Sink, obj};
use crate::scenario::yaml::Node;

/// One schema definition: the keys the decoder accepts, and the warnings for the noted ones.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table {
    /// `known` holds the decoded fields and the noted ones (so `obj` accepts them quietly).
    pub fields: Fields,
    /// Unmodelled fields and what the lab does instead.
    pub notes: &'static [(&'static str, &'static str)],
}

/// `table!(ClusterVPC { known: [...], unmodelled: [...], noted: [field => "what the lab does"],
/// silent: [...] })`: the definition's name documents the table (the coverage check reads it).
macro_rules! table {
    ($schema:ident {
        known: [$($k:literal),* $(,)?]
        $(, unmodelled: [$($u:literal),* $(,)?])?
        $(, noted: [$($n:literal => $m:literal),* $(,)?])?
        $(, silent: [$($s:literal),* $(,)?])?
        $(,)?
    }) => {
        Table {
            fields: Fields {
                known: &[$($k,)* $($($n,)*)?],
                unmodelled: &[$($($u,)*)?],
                silent: &[$($($s,)*)?],
            },
            notes: &[$($(($n, $m),)*)?],
        }
    };
}

/// Checks `node` against `table` like [`obj`], and warns about each noted field present.
pub(crate) fn open<'a>(
    sink: &mut Sink,
    node: &'a Node,
    path: &str,
    table: &Table,
) -> Option<Obj<'a>> {
    let o = obj(sink, node, path, &table.fields)?;
    for (key, _) in o.entries {
        if let Some((_, note)) = table.notes.iter().find(|(n, _)| *n == key.text) {
            sink.warn(
                key.mark,
                &o.at(&key.text),
                format!("not modelled by the lab; ignored: {note}"),
            );
        }
    }
    Some(o)
}

/// `o.key` opened against `table`, unless absent or null.
pub(crate) fn sub<'a>(sink: &mut Sink, o: &Obj<'a>, key: &str, table: &Table) -> Option<Obj<'a>> {
    o.get(key).and_then(|n| open(sink, n, &o.at(key), table))
}

pub(crate) const CLUSTER_CONFIG: Table = table!(ClusterConfig {
    known: [
        "apiVersion",
        "kind",
        "metadata",
        "availabilityZones",
        "vpc",
        "managedNodeGroups",
        "nodeGroups",
        "fargateProfiles",
        "addons",
        "cloudWatch",
        "accessConfig",
        "upgradePolicy",
    ],
    unmodelled: [
        "iamIdentityMappings",
        "identityProviders",
        "secretsEncryption",
        "gitops",
        "zonalShiftConfig",
    ],
    noted: [
        "kubernetesNetworkConfig" => "the lab's cluster is IPv4, with pod IPs from the VPC CNI",
        "autoModeConfig" => "the lab does not run EKS Auto Mode: pods run only on the node groups and Fargate profiles of this file",
        "remoteNetworkConfig" => "the lab has no hybrid nodes: pods run only on the node groups and Fargate profiles of this file",
        "iam" => "the lab creates no IAM roles, OIDC provider or service accounts, and shows its own eksctl-named roles",
        "addonsConfig" => "the lab always installs the default add-ons vpc-cni, kube-proxy and coredns",
        "privateCluster" => "the lab's API endpoint access comes from vpc.clusterEndpoints",
        "localZones" => "the lab's nodes run in the cluster's availabilityZones",
        "karpenter" => "the lab does not install Karpenter: nodes scale only with the Cluster Autoscaler of the Lab document",
        "outpost" => "the lab runs the control plane and the nodes in the region's Availability Zones",
        "capabilities" => "the lab does not install EKS capabilities (Argo CD, ACK, kro)",
        "controlPlaneScalingConfig" => "the lab runs the standard control plane and does not bill a Provisioned Control Plane tier",
        "kubeAPIServerConfig" => "the lab's API server keeps its defaults",
        "kubeControllerManagerConfig" => "the lab's HorizontalPodAutoscalers sync every 15 s, the controller manager's default",
        "kubeSchedulerConfig" => "the lab's scheduler scores nodes with the default LeastAllocated strategy",
    ],
    // No `status`: eksctl's ClusterConfig.Status is `json:"-"`, so its strict decoding refuses it.
});

pub(crate) const CLUSTER_META: Table = table!(ClusterMeta {
    known: ["name", "region", "version", "tags"],
    unmodelled: ["annotations", "forceUpdateVersion", "rollbackConfig"],
});

pub(crate) const ADDON: Table = table!(Addon {
    known: ["name", "version"],
    unmodelled: [
        "serviceAccountRoleARN",
        "attachPolicyARNs",
        "attachPolicy",
        "permissionsBoundary",
        "wellKnownPolicies",
        "tags",
        "resolveConflicts",
        "podIdentityAssociations",
        "useDefaultPodIdentityAssociations",
        "namespaceConfig",
        "owners",
        "publishers",
        "types",
    ],
    noted: [
        "configurationValues" => "the lab runs the add-on with its default configuration",
    ],
});

pub(crate) const ACCESS_CONFIG: Table = table!(AccessConfig {
    known: ["authenticationMode"],
    noted: [
        "bootstrapClusterCreatorAdminPermissions" => "the lab does not check who may use the cluster",
        "accessEntries" => "the lab does not check who may use the cluster",
    ],
});

pub(crate) const UPGRADE_POLICY: Table = table!(UpgradePolicy {
    known: ["supportType"]
});

pub(crate) const CLOUD_WATCH: Table = table!(ClusterCloudWatch {
    known: ["clusterLogging"]
});

pub(crate) const CLUSTER_LOGGING: Table = table!(ClusterCloudWatchLogging {
    known: ["enableTypes"],
    unmodelled: ["logRetentionInDays"],
});

pub(crate) const CLUSTER_VPC: Table = table!(ClusterVPC {
    known: [
        "id",
        "cidr",
        "subnets",
        "clusterEndpoints",
        "publicAccessCIDRs",
        "controlPlaneSubnetIDs",
        "controlPlaneOnPrivateSubnets",
    ],
    unmodelled: ["hostnameType", "controlPlaneEgressMode"],
    noted: [
        "ipv6Cidr" => "the lab's VPC is IPv4 only",
        "ipv6Pool" => "the lab's VPC is IPv4 only",
        "autoAllocateIPv6" => "the lab's VPC is IPv4 only",
        "extraCIDRs" => "the lab's VPC has only the CIDR of vpc.cidr",
        "extraIPv6CIDRs" => "the lab's VPC is IPv4 only",
        "securityGroup" => "the lab shows a cluster security group of its own",
        "sharedNodeSecurityGroup" => "the lab shows a cluster security group of its own",
        "manageSharedNodeSecurityGroupRules" => "the lab shows a cluster security group of its own",
        "controlPlaneSecurityGroupIDs" => "the lab shows a cluster security group of its own",
        // eks-facts §1.5: $0.045 per hour per NAT gateway.
        "nat" => "the lab does not bill NAT gateways (about $0.045 per hour each on AWS)",
    ],
});

pub(crate) const CLUSTER_ENDPOINTS: Table = table!(ClusterEndpoints {
    known: ["publicAccess", "privateAccess"]
});

pub(crate) const CLUSTER_SUBNETS: Table = table!(ClusterSubnets {
    known: ["private", "public"]
});

/// One entry of `vpc.subnets.{private,public}` (the `AZSubnetMapping` values).
pub(crate) const AZ_SUBNET_SPEC: Table = table!(AZSubnetSpec {
    known: ["id", "az", "cidr"]
});

pub(crate) const MANAGED_NODE_GROUP: Table = table!(ManagedNodeGroup {
    known: [
        "name",
        "instanceType",
        "instanceTypes",
        "desiredCapacity",
        "minSize",
        "maxSize",
        "spot",
        "labels",
        "taints",
        "updateConfig",
        "volumeSize",
        "volumeType",
        "amiFamily",
        "privateNetworking",
        "availabilityZones",
        "subnets",
        "maxPodsPerNode",
        "releaseVersion",
        "iam",
    ],
    unmodelled: [
        "instancePrefix",
        "instanceName",
        "volumeName",
        "volumeEncrypted",
        "volumeKmsKeyID",
        "volumeIOPS",
        "volumeThroughput",
        "additionalVolumes",
        "ssh",
        "tags",
        "securityGroups",
        "ebsOptimized",
        "propagateASGTags",
        "disableIMDSv1",
        "disablePodIMDS",
        "placement",
        "efaEnabled",
        "enableDetailedMonitoring",
        "capacityReservation",
        "instanceMarketOptions",
    ],
    noted: [
        "ami" => "the lab's nodes boot the EKS-optimized Amazon Linux 2023 AMI",
        "instanceSelector" => "the lab does not pick instance types for you: the group uses its instanceType(s), m5.large by default",
        "preBootstrapCommands" => "the lab's nodes join with the EKS AMI's defaults",
        "overrideBootstrapCommand" => "the lab's nodes join with the EKS AMI's defaults",
        "bottlerocket" => "the lab's nodes run the EKS-optimized Amazon Linux 2023 AMI",
        "asgSuspendProcesses" => "the lab's Auto Scaling group runs all of its processes",
        "outpostARN" => "the lab runs this group in the region's Availability Zones",
        "launchTemplate" => "the lab builds the group's launch template from the fields of this file",
        "nodeRepairConfig" => "the lab does not repair unhealthy nodes",
    ],
});

pub(crate) const NODE_GROUP: Table = table!(NodeGroup {
    known: [
        "name",
        "instanceType",
        "instancesDistribution",
        "desiredCapacity",
        "minSize",
        "maxSize",
        "labels",
        "taints",
        "updateConfig",
        "volumeSize",
        "volumeType",
        "amiFamily",
        "privateNetworking",
        "availabilityZones",
        "subnets",
        "maxPodsPerNode",
        "iam",
        // Not an eksctl field for self-managed groups: read with a warning so that every lab
        // node group can be written down (`to_yaml`).
        "spot",
    ],
    unmodelled: [
        "instancePrefix",
        "instanceName",
        "volumeName",
        "volumeEncrypted",
        "volumeKmsKeyID",
        "volumeIOPS",
        "volumeThroughput",
        "additionalVolumes",
        "ssh",
        "tags",
        "securityGroups",
        "ebsOptimized",
        "propagateASGTags",
        "disableIMDSv1",
        "disablePodIMDS",
        "placement",
        "efaEnabled",
        "enableDetailedMonitoring",
        "capacityReservation",
        "instanceMarketOptions",
        "containerRuntime",
        "targetGroupARNs",
        "classicLoadBalancerNames",
        "cpuCredits",
        "asgMetricsCollection",
        "enclaveEnabled",
    ],
    noted: [
        "ami" => "the lab's nodes boot the EKS-optimized Amazon Linux 2023 AMI",
        "instanceSelector" => "the lab does not pick instance types for you: the group uses its instanceType(s), m5.large by default",
        "preBootstrapCommands" => "the lab's nodes join with the EKS AMI's defaults",
        "overrideBootstrapCommand" => "the lab's nodes join with the EKS AMI's defaults",
        "bottlerocket" => "the lab's nodes run the EKS-optimized Amazon Linux 2023 AMI",
        "asgSuspendProcesses" => "the lab's Auto Scaling group runs all of its processes",
        "outpostARN" => "the lab runs this group in the region's Availability Zones",
        "kubeletExtraConfig" => "the lab's kubelets use the EKS AMI's settings (max pods from the ENI formula, kube-reserved from nodeadm)",
        "clusterDNS" => "the lab's pods use the cluster's CoreDNS",
        "warmPool" => "the lab's Auto Scaling group has no warm pool: scale-ups launch new instances",
        "maxInstanceLifetime" => "the lab's instances run until they are scaled in or replaced",
        "localZones" => "the lab runs this group in the cluster's availabilityZones",
    ],
});

/// `iam` of a node group: only `withAddonPolicies.autoScaler` changes what the lab simulates.
pub(crate) const NODE_GROUP_IAM: Table = table!(NodeGroupIAM {
    known: ["withAddonPolicies"],
    unmodelled: [
        "attachPolicy",
        "attachPolicyARNs",
        "instanceProfileARN",
        "instanceRolePermissionsBoundary",
    ],
    noted: [
        "instanceRoleARN" => "the lab shows its own eksctl-named node role",
        "instanceRoleName" => "the lab shows its own eksctl-named node role",
    ],
});

/// `iam.withAddonPolicies`: `autoScaler` gives the node role the Cluster Autoscaler's policy and
/// (for self-managed groups) the ASG its auto-discovery tags; the rest are IAM-only.
pub(crate) const ADDON_POLICIES: Table = table!(NodeGroupIAMAddonPolicies {
    known: ["autoScaler"],
    unmodelled: [
        "imageBuilder",
        "externalDNS",
        "certManager",
        "appMesh",
        "appMeshPreview",
        "ebs",
        "fsx",
        "efs",
        "awsLoadBalancerController",
        "albIngress",
        "xRay",
        "cloudWatch",
    ],
});

/// `updateConfig`; `updateStrategy` is the EKS API's (eks-facts §4), which this eksctl schema
/// does not have yet: the lab reads it for managed groups.
pub(crate) const UPDATE_CONFIG: Table = table!(NodeGroupUpdateConfig {
    known: [
        "maxUnavailable",
        "maxUnavailablePercentage",
        "updateStrategy",
    ]
});

pub(crate) const TAINT: Table = table!(NodeGroupTaint {
    known: ["key", "value", "effect"]
});

pub(crate) const INSTANCES_DISTRIBUTION: Table = table!(NodeGroupInstancesDistribution {
    known: [
        "instanceTypes",
        "onDemandBaseCapacity",
        "onDemandPercentageAboveBaseCapacity",
    ],
    unmodelled: ["capacityRebalance"],
    noted: [
        "maxPrice" => "the lab pays its own Spot price, whatever the maximum",
        "spotInstancePools" => "the lab places Spot instances by its own rules",
        "spotAllocationStrategy" => "the lab places Spot instances by its own rules",
    ],
});

pub(crate) const FARGATE_PROFILE: Table = table!(FargateProfile {
    known: ["name", "selectors", "subnets"],
    unmodelled: ["tags"],
    noted: [
        "podExecutionRoleARN" => "the lab shows its own role, eksctl-<cluster>-FargatePodExecutionRole",
    ],
    silent: ["status"],
});

pub(crate) const FARGATE_SELECTOR: Table = table!(FargateProfileSelector {
    known: ["namespace", "labels"]
});

/// Every table, for tests.
#[cfg(test)]
pub(crate) const ALL: &[Table] = &[
    CLUSTER_CONFIG,
    CLUSTER_META,
    ADDON,
    ACCESS_CONFIG,
    UPGRADE_POLICY,
    CLOUD_WATCH,
    CLUSTER_LOGGING,
    CLUSTER_VPC,
    CLUSTER_ENDPOINTS,
    CLUSTER_SUBNETS,
    AZ_SUBNET_SPEC,
    MANAGED_NODE_GROUP,
    NODE_GROUP,
    NODE_GROUP_IAM,
    ADDON_POLICIES,
    UPDATE_CONFIG,
    TAINT,
    INSTANCES_DISTRIBUTION,
    FARGATE_PROFILE,
    FARGATE_SELECTOR,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_is_in_one_list_of_its_table() {
        for t in ALL {
            let f = &t.fields;
            let mut all: Vec<&str> = f
                .known
                .iter()
                .chain(f.unmodelled)
                .chain(f.silent)
                .copied()
                .collect();
            let n = all.len();
            crate::sim::sort::sort(&mut all);
            all.dedup();
            assert_eq!(all.len(), n, "{:?}: a field is listed twice", f.known);
            for (k, note) in t.notes {
                assert!(f.known.contains(k), "{k}");
                assert!(!note.is_empty() && !note.ends_with('.'), "{k}");
            }
        }
    }
}
