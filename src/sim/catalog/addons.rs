//! EKS add-on versions per Kubernetes version (eks-facts §5, "latest EKS add-on version per
//! cluster version" snapshots: treat as examples, they change every few weeks).

use super::versions::KubernetesVersion;

/// The three default add-ons every EKS cluster gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AddonName {
    VpcCni,
    KubeProxy,
    CoreDns,
    /// The metrics-server community add-on (not installed by default): the HPA, the VPA and
    /// `kubectl top` need it.
    MetricsServer,
}

impl AddonName {
    /// The add-ons every EKS cluster gets.
    pub const ALL: [AddonName; 3] = [AddonName::VpcCni, AddonName::KubeProxy, AddonName::CoreDns];
    /// Every add-on the lab models.
    pub const KNOWN: [AddonName; 4] = [
        AddonName::VpcCni,
        AddonName::KubeProxy,
        AddonName::CoreDns,
        AddonName::MetricsServer,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AddonName::VpcCni => "vpc-cni",
            AddonName::KubeProxy => "kube-proxy",
            AddonName::CoreDns => "coredns",
            AddonName::MetricsServer => "metrics-server",
        }
    }

    pub fn parse(text: &str) -> Option<AddonName> {
        AddonName::KNOWN.into_iter().find(|a| a.as_str() == text)
    }
}

/// Default (latest listed) version of an add-on for a cluster version (eks-facts §5 table).
pub fn addon_default_version(addon: AddonName, k8s: KubernetesVersion) -> &'static str {
    let m = k8s.minor;
    match addon {
        AddonName::VpcCni => match m {
            ..=23 => "v1.18.5-eksbuild.1",
            24..=26 => "v1.19.0-eksbuild.1",
            _ => "v1.20.1-eksbuild.3",
        },
        AddonName::CoreDns => match m {
            ..=23 => "v1.8.7-eksbuild.18",
            24..=26 => "v1.9.3-eksbuild.19",
            27..=28 => "v1.10.1-eksbuild.38",
            29..=32 => "v1.11.4-eksbuild.24",
            33..=34 => "v1.12.4-eksbuild.1",
            _ => "v1.13.2-eksbuild.4",
        },
        // The metrics-server community add-on; one build serves every supported version (U:
        // version not in the facts sheet).
        AddonName::MetricsServer => "v0.7.2-eksbuild.1",
        AddonName::KubeProxy => match m {
            ..=23 => "v1.23.17-eksbuild.20",
            24 => "v1.24.17-eksbuild.19",
            25 => "v1.25.16-eksbuild.22",
            26 => "v1.26.15-eksbuild.35",
            27 => "v1.27.16-eksbuild.41",
            28 => "v1.28.15-eksbuild.31",
            29 => "v1.29.15-eksbuild.16",
            30 => "v1.30.14-eksbuild.8",
            31 => "v1.31.13-eksbuild.2",
            32 => "v1.32.9-eksbuild.2",
            33 => "v1.33.5-eksbuild.2",
            34 => "v1.34.1-eksbuild.2",
            // eks-facts lists no kube-proxy build for 1.35; kube-proxy tracks the minor (§5).
            _ => "v1.35.0-eksbuild.1",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_proxy_tracks_the_kubernetes_minor() {
        for minor in 23..=35 {
            let v = addon_default_version(AddonName::KubeProxy, KubernetesVersion::new(minor));
            assert!(v.starts_with(&format!("v1.{minor}.")), "{v}");
        }
    }

    #[test]
    fn snapshot_versions_from_the_facts_sheet() {
        assert_eq!(
            addon_default_version(AddonName::CoreDns, KubernetesVersion::new(29)),
            "v1.11.4-eksbuild.24"
        );
        assert_eq!(
            addon_default_version(AddonName::VpcCni, KubernetesVersion::new(33)),
            "v1.20.1-eksbuild.3"
        );
        assert_eq!(
            addon_default_version(AddonName::KubeProxy, KubernetesVersion::new(33)),
            "v1.33.5-eksbuild.2"
        );
    }
}
