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

/// `vMAJOR.MINOR` of a version string such as `v1.20.1-eksbuild.3` (None if unparseable).
pub fn addon_minor(version: &str) -> Option<(u32, u32)> {
    let t = version.trim_start_matches('v');
    let mut it = t.split(['.', '-']);
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    Some((major, minor))
}

/// Is an add-on version compatible with a cluster version? (eks-facts §5 rules)
/// - kube-proxy: not newer than the API server and at most 3 minors older (the n-3 skew rule);
/// - CoreDNS: the line EKS ships for that Kubernetes version or the one before it (a cluster
///   upgrade keeps the old CoreDNS working until it is updated);
/// - VPC CNI and metrics-server: version-independent.
pub fn addon_compatible(addon: AddonName, version: &str, k8s: KubernetesVersion) -> bool {
    let Some((_, minor)) = addon_minor(version) else {
        return false;
    };
    match addon {
        AddonName::KubeProxy => minor <= k8s.minor && minor + 3 >= k8s.minor,
        AddonName::CoreDns => {
            let line = |v: KubernetesVersion| {
                addon_minor(addon_default_version(AddonName::CoreDns, v)).map_or(0, |m| m.1)
            };
            let newest = line(k8s);
            minor <= newest && minor + 1 >= newest
        }
        AddonName::VpcCni | AddonName::MetricsServer => true,
    }
}

/// Is `installed` behind what EKS ships for this cluster version (an update is available)?
pub fn addon_behind(addon: AddonName, installed: &str, k8s: KubernetesVersion) -> bool {
    let latest = addon_default_version(addon, k8s);
    match (addon_minor(installed), addon_minor(latest)) {
        (Some(a), Some(b)) => a < b || (a == b && installed != latest && installed < latest),
        _ => installed != latest,
    }
}

/// An add-on update that skips minor versions EKS wants taken one at a time: the VPC CNI is
/// updated one minor version at a time (eks-facts §5). Returns the next allowed minor.
pub fn addon_skips_minor(addon: AddonName, from: &str, to: &str) -> Option<u32> {
    if addon != AddonName::VpcCni {
        return None;
    }
    let (Some(a), Some(b)) = (addon_minor(from), addon_minor(to)) else {
        return None;
    };
    (b.0 == a.0 && b.1 > a.1 + 1).then_some(a.1 + 1)
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
    fn compatibility_follows_the_version_rules() {
        let v = KubernetesVersion::new;
        // kube-proxy: n-3, never newer (eks-facts §5).
        assert!(addon_compatible(
            AddonName::KubeProxy,
            "v1.34.1-eksbuild.2",
            v(35)
        ));
        assert!(addon_compatible(
            AddonName::KubeProxy,
            "v1.32.9-eksbuild.2",
            v(35)
        ));
        assert!(!addon_compatible(
            AddonName::KubeProxy,
            "v1.31.13-eksbuild.2",
            v(35)
        ));
        assert!(!addon_compatible(
            AddonName::KubeProxy,
            "v1.35.0-eksbuild.1",
            v(34)
        ));
        // CoreDNS 1.11 (1.29–1.32) still works on 1.33, whose line is 1.12.
        assert!(addon_compatible(
            AddonName::CoreDns,
            "v1.11.4-eksbuild.24",
            v(33)
        ));
        assert!(!addon_compatible(
            AddonName::CoreDns,
            "v1.10.1-eksbuild.38",
            v(33)
        ));
        assert!(!addon_compatible(
            AddonName::CoreDns,
            "v1.12.4-eksbuild.1",
            v(32)
        ));
        assert!(addon_behind(
            AddonName::KubeProxy,
            "v1.34.1-eksbuild.2",
            v(35)
        ));
        assert!(!addon_behind(
            AddonName::KubeProxy,
            "v1.35.0-eksbuild.1",
            v(35)
        ));
        assert!(!addon_behind(
            AddonName::VpcCni,
            "v1.20.1-eksbuild.3",
            v(35)
        ));
        // The VPC CNI goes one minor at a time.
        assert_eq!(
            addon_skips_minor(
                AddonName::VpcCni,
                "v1.18.5-eksbuild.1",
                "v1.20.1-eksbuild.3"
            ),
            Some(19)
        );
        assert_eq!(
            addon_skips_minor(
                AddonName::VpcCni,
                "v1.19.0-eksbuild.1",
                "v1.20.1-eksbuild.3"
            ),
            None
        );
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
