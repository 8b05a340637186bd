//! Kubernetes versions on EKS with their support calendar (eks-facts §5).

use std::fmt;

use crate::sim::clock::Date;

/// A Kubernetes minor version such as 1.33.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubernetesVersion {
    pub major: u32,
    pub minor: u32,
}

impl KubernetesVersion {
    pub const fn new(minor: u32) -> KubernetesVersion {
        KubernetesVersion { major: 1, minor }
    }

    /// Parses `1.33`, `"1.33"` or `v1.33`.
    pub fn parse(text: &str) -> Result<KubernetesVersion, String> {
        let t = text.trim().trim_start_matches('v');
        let (maj, min) = t.split_once('.').ok_or_else(|| {
            format!("invalid Kubernetes version {text:?}: expected MAJOR.MINOR, e.g. 1.33")
        })?;
        let min = min.split('.').next().unwrap_or(min);
        let major = maj
            .parse()
            .map_err(|_| format!("invalid Kubernetes version {text:?}"))?;
        let minor = min
            .parse()
            .map_err(|_| format!("invalid Kubernetes version {text:?}"))?;
        Ok(KubernetesVersion { major, minor })
    }

    /// Minor versions between `self` and a newer `other` (0 if not newer).
    pub fn minors_behind(self, other: KubernetesVersion) -> u32 {
        other.minor.saturating_sub(self.minor)
    }

    /// The next minor version (saturating: `1.4294967295` has none, and stays).
    #[must_use]
    pub const fn next(self) -> KubernetesVersion {
        KubernetesVersion {
            major: self.major,
            minor: self.minor.saturating_add(1),
        }
    }
}

impl fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Where a version stands on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportStatus {
    /// Not yet released on EKS at that date.
    NotYetReleased,
    Standard,
    /// In extended support: the control plane costs $0.60/h (eks-facts §1.1).
    Extended,
    /// Past the end of extended support: EKS upgrades the control plane automatically.
    EndOfLife,
}

impl SupportStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            SupportStatus::NotYetReleased => "not yet released",
            SupportStatus::Standard => "standard support",
            SupportStatus::Extended => "extended support",
            SupportStatus::EndOfLife => "end of support",
        }
    }
}

/// One row of the EKS version calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionInfo {
    pub version: KubernetesVersion,
    pub eks_release: Date,
    pub end_of_standard: Date,
    pub end_of_extended: Date,
}

impl VersionInfo {
    /// Support status on `date`. Extended support (and its price) starts at the beginning of the
    /// day of the end of standard support, UTC (eks-facts §1.1).
    pub fn status_on(&self, date: Date) -> SupportStatus {
        if date < self.eks_release {
            SupportStatus::NotYetReleased
        } else if date < self.end_of_standard {
            SupportStatus::Standard
        } else if date < self.end_of_extended {
            SupportStatus::Extended
        } else {
            SupportStatus::EndOfLife
        }
    }
}

const fn row(
    minor: u32,
    rel: (i64, u32, u32),
    std: (i64, u32, u32),
    ext: (i64, u32, u32),
) -> VersionInfo {
    VersionInfo {
        version: KubernetesVersion::new(minor),
        eks_release: Date::from_ymd(rel.0, rel.1, rel.2),
        end_of_standard: Date::from_ymd(std.0, std.1, std.2),
        end_of_extended: Date::from_ymd(ext.0, ext.1, ext.2),
    }
}

/// eks-facts §5 version table (H for 1.23–1.34; 1.35 is M from endoflife.date).
pub const VERSIONS: &[VersionInfo] = &[
    row(23, (2022, 8, 11), (2023, 10, 11), (2024, 10, 11)),
    row(24, (2022, 11, 15), (2024, 1, 31), (2025, 1, 31)),
    row(25, (2023, 2, 22), (2024, 5, 1), (2025, 5, 1)),
    row(26, (2023, 4, 11), (2024, 6, 11), (2025, 6, 11)),
    row(27, (2023, 5, 24), (2024, 7, 24), (2025, 7, 24)),
    row(28, (2023, 9, 26), (2024, 11, 26), (2025, 11, 26)),
    row(29, (2024, 1, 23), (2025, 3, 23), (2026, 3, 23)),
    row(30, (2024, 5, 23), (2025, 7, 23), (2026, 7, 23)),
    row(31, (2024, 9, 26), (2025, 11, 26), (2026, 11, 26)),
    row(32, (2025, 1, 23), (2026, 3, 23), (2027, 3, 23)),
    row(33, (2025, 5, 29), (2026, 7, 29), (2027, 7, 29)),
    row(34, (2025, 10, 2), (2026, 12, 2), (2027, 12, 2)),
    row(35, (2026, 1, 27), (2027, 3, 27), (2028, 3, 27)),
];

/// eksctl's default version (eks-facts §10: `DefaultVersion = 1.34`).
pub const EKSCTL_DEFAULT_VERSION: KubernetesVersion = KubernetesVersion::new(34);

pub fn version_info(v: KubernetesVersion) -> Option<&'static VersionInfo> {
    VERSIONS.iter().find(|r| r.version == v)
}

pub fn known_versions() -> String {
    VERSIONS
        .iter()
        .map(|r| r.version.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Maximum kubelet skew below the API server: 3 minors from Kubernetes 1.28 (kubelet ≥ 1.25),
/// 2 before (eks-facts §5, version-skew-policy).
pub fn max_kubelet_skew(kubelet: KubernetesVersion) -> u32 {
    if kubelet.minor >= 25 { 3 } else { 2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_a_learner_never_overflow() {
        let top = KubernetesVersion::parse("1.4294967295").unwrap();
        assert_eq!(top.next(), top);
        assert_eq!(
            KubernetesVersion::new(34).next(),
            KubernetesVersion::new(35)
        );
        assert!(KubernetesVersion::parse("1.4294967296").is_err());
        assert_eq!(
            KubernetesVersion::new(40).minors_behind(KubernetesVersion::new(3)),
            0
        );
    }

    #[test]
    fn support_status_follows_the_calendar() {
        let v131 = version_info(KubernetesVersion::new(31)).unwrap();
        assert_eq!(
            v131.status_on(Date::from_ymd(2025, 11, 25)),
            SupportStatus::Standard
        );
        // Extended support billing starts at the beginning of the end-of-standard day (§1.1).
        assert_eq!(
            v131.status_on(Date::from_ymd(2025, 11, 26)),
            SupportStatus::Extended
        );
        assert_eq!(
            v131.status_on(Date::from_ymd(2026, 11, 26)),
            SupportStatus::EndOfLife
        );
        let v135 = version_info(KubernetesVersion::new(35)).unwrap();
        assert_eq!(
            v135.status_on(Date::from_ymd(2025, 12, 1)),
            SupportStatus::NotYetReleased
        );
    }

    #[test]
    fn lifecycle_is_fourteen_plus_twelve_months() {
        // eks-facts §5 / §11: 14 months standard + 12 months extended = 26 months.
        for r in VERSIONS
            .iter()
            .filter(|r| r.version.minor >= 28 && r.version.minor <= 34)
        {
            let (ry, rm, _) = r.eks_release.ymd();
            let (sy, sm, _) = r.end_of_standard.ymd();
            let (ey, em, _) = r.end_of_extended.ymd();
            let months =
                |y: i64, m: u32, y2: i64, m2: u32| (y2 - y) * 12 + i64::from(m2) - i64::from(m);
            assert_eq!(months(ry, rm, sy, sm), 14, "{}", r.version);
            assert_eq!(months(sy, sm, ey, em), 12, "{}", r.version);
        }
    }

    #[test]
    fn parses_versions() {
        assert_eq!(
            KubernetesVersion::parse("1.33"),
            Ok(KubernetesVersion::new(33))
        );
        assert_eq!(
            KubernetesVersion::parse("v1.29.15"),
            Ok(KubernetesVersion::new(29))
        );
        assert!(KubernetesVersion::parse("latest").is_err());
        assert_eq!(max_kubelet_skew(KubernetesVersion::new(25)), 3);
        assert_eq!(max_kubelet_skew(KubernetesVersion::new(24)), 2);
    }
}
