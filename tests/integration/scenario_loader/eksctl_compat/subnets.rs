//! Subnets given by ID (`vpc.subnets.{private,public}.<name>.{id,az,cidr}`) and the subnets
//! node groups and Fargate profiles name, as eksctl reads them (pkg/vpc/vpc.go).

use super::{HEAD, lines, loaded, positioned, refused};
use eks_lab::scenario::to_yaml;
use eks_lab::sim::Simulation;
use eks_lab::sim::spec::SubnetSpec;

#[test]
fn private_subnets_given_by_id_become_the_labs_subnets() {
    let l = loaded(&format!(
        "{HEAD}vpc:\n  id: vpc-0dd338ecf29863c55\n  cidr: 10.10.0.0/16\n  subnets:\n    private:\n      us-east-1a: {{id: subnet-0b2512f8c6ae9bf30, cidr: 10.10.0.0/19}}\n      second: {{id: subnet-08cb9a2ed60394ce3, az: us-east-1b}}\n      third: {{id: subnet-00f71956cdec8f1dc}}\n"
    ));
    assert_eq!(
        positioned(&l.warnings),
        [
            (
                6,
                3,
                "vpc.id",
                "eksctl looks vpc-0dd338ecf29863c55 up in EC2; the lab cannot, so it simulates a VPC of its own with the CIDR of vpc.cidr (10.10.0.0/16) and an ID of its own"
            ),
            (
                12,
                7,
                "vpc.subnets.private.third",
                "eksctl looks up the Availability Zone of subnet-00f71956cdec8f1dc in EC2; the lab cannot, so it places this subnet in us-east-1c, the next of the cluster's zones without a private subnet"
            ),
        ]
    );
    // Subnets without a CIDR get the one the lab carves for their zone (eksctl's layout: the
    // private /19s follow the three public ones).
    let subnet = |zone: &str, cidr: &str, id: &str| SubnetSpec {
        zone: zone.into(),
        cidr: cidr.into(),
        id: Some(id.into()),
    };
    assert_eq!(
        l.spec.cluster.subnets,
        [
            subnet("us-east-1a", "10.10.0.0/19", "subnet-0b2512f8c6ae9bf30"),
            subnet("us-east-1b", "10.10.128.0/19", "subnet-08cb9a2ed60394ce3"),
            subnet("us-east-1c", "10.10.160.0/19", "subnet-00f71956cdec8f1dc"),
        ]
    );
    let sim = Simulation::new(l.spec.clone()).unwrap();
    let ids: Vec<(&str, &str)> = sim
        .state()
        .subnets
        .iter()
        .map(|s| (s.zone.as_str(), s.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("us-east-1a", "subnet-0b2512f8c6ae9bf30"),
            ("us-east-1b", "subnet-08cb9a2ed60394ce3"),
            ("us-east-1c", "subnet-00f71956cdec8f1dc"),
        ]
    );
    // The IDs survive export.
    assert_eq!(loaded(&to_yaml(&l.spec)).spec, l.spec);
}

#[test]
fn without_availability_zones_the_subnets_give_the_zones() {
    let l = loaded(&format!(
        "{HEAD}vpc:\n  subnets:\n    private:\n      us-east-1d: {{id: subnet-0d}}\n      us-east-1f: {{id: subnet-0f}}\n"
    ));
    assert!(l.warnings.is_empty(), "{}", lines(&l.warnings));
    assert_eq!(l.spec.cluster.zones, ["us-east-1d", "us-east-1f"]);
    // With availabilityZones, a subnet outside them is an error.
    let e = refused(&format!(
        "{HEAD}availabilityZones: [us-east-1a, us-east-1b]\nvpc:\n  subnets:\n    private:\n      us-east-1d: {{id: subnet-0d}}\n"
    ));
    assert_eq!(
        positioned(&e),
        [(
            9,
            7,
            "vpc.subnets.private.us-east-1d",
            "\"us-east-1d\" is not one of the cluster's availabilityZones (us-east-1a, us-east-1b)"
        )]
    );
}

const ALIASES: &str = "vpc:\n  id: vpc-0c24b1cc77da8f463\n  subnets:\n    public:\n      public-one: {id: subnet-0324095a4f2188967, az: us-east-1a}\n      public-two: {id: subnet-083814b087bad140b}\n    private:\n      private-one: {id: subnet-0aaaaaaaaaaaaaaa1, az: us-east-1a}\n      private-two: {id: subnet-0aaaaaaaaaaaaaaa2, az: us-east-1b}\n      private-three: {id: subnet-0aaaaaaaaaaaaaaa3, az: us-east-1c}\n";

#[test]
fn node_group_subnets_by_name_or_id_pick_the_groups_zones() {
    let l = loaded(&format!(
        "{HEAD}{ALIASES}managedNodeGroups:\n  - name: private\n    privateNetworking: true\n    subnets: [private-one, subnet-0aaaaaaaaaaaaaaa3]\n  - name: public\n    subnets: [public-one, public-two, subnet-0123456789abcdef0]\n"
    ));
    let groups: Vec<(&str, Vec<&str>)> = l
        .spec
        .nodegroups
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.zones.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("private", vec!["us-east-1a", "us-east-1c"]),
            ("public", vec!["us-east-1a"])
        ]
    );
    let warnings: Vec<(usize, &str, &str)> = l
        .warnings
        .iter()
        .skip(2) // vpc.id and vpc.subnets.public
        .map(|w| (w.line, w.path.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                20,
                "managedNodeGroups[1].subnets[1]",
                "eksctl looks up the Availability Zone of subnet-083814b087bad140b (public-two) in EC2; the lab cannot, so this entry does not restrict the group's zones"
            ),
            (
                20,
                "managedNodeGroups[1].subnets[2]",
                "eksctl looks up the Availability Zone of subnet-0123456789abcdef0 in EC2; the lab cannot, so this entry does not restrict the group's zones"
            ),
        ]
    );
    // eksctl's selectNodeGroupSubnetsFromIDs: private subnets need privateNetworking.
    let e = refused(&format!(
        "{HEAD}{ALIASES}nodeGroups:\n  - name: ng\n    subnets: [private-two, nowhere]\n"
    ));
    assert_eq!(
        positioned(&e),
        [
            (
                17,
                15,
                "nodeGroups[0].subnets[0]",
                "subnet private-two is specified as private in ClusterConfig, thus must only be used when `privateNetworking` is enabled"
            ),
            (
                17,
                28,
                "nodeGroups[0].subnets[1]",
                "\"nowhere\" is neither a subnet of vpc.subnets nor a subnet ID (eksctl: subnet with ID \"nowhere\" not found)"
            ),
        ]
    );
    let e = refused(&format!(
        "{HEAD}{ALIASES}nodeGroups:\n  - name: ng\n    availabilityZones: [us-east-1a]\n    subnets: [public-one]\n"
    ));
    assert_eq!(
        e[0].message,
        "only one of nodeGroups[0].subnets or nodeGroups[0].availabilityZones should be set"
    );
}

#[test]
fn fargate_profile_subnets_are_the_clusters_private_subnet_ids() {
    let l = loaded(&format!(
        "{HEAD}{ALIASES}fargateProfiles:\n  - name: fp\n    selectors: [{{namespace: batch}}]\n    subnets: [subnet-0aaaaaaaaaaaaaaa2, subnet-0ffffffffffffffff]\n"
    ));
    assert_eq!(
        l.spec.fargate_profiles[0].subnets,
        ["subnet-0aaaaaaaaaaaaaaa2"]
    );
    assert_eq!(
        l.warnings
            .last()
            .map(|w| (w.path.as_str(), w.message.as_str())),
        Some((
            "fargateProfiles[0].subnets[1]",
            "EKS looks subnet-0ffffffffffffffff up in EC2; the lab cannot, so the profile leaves it out (a profile left with no subnet uses all of the cluster's private subnets)"
        ))
    );
    let e = refused(&format!(
        "{HEAD}{ALIASES}fargateProfiles:\n  - name: fp\n    selectors: [{{namespace: batch}}]\n    subnets: [private-two, subnet-0324095a4f2188967]\n"
    ));
    assert_eq!(
        positioned(&e),
        [
            (
                18,
                15,
                "fargateProfiles[0].subnets[0]",
                "\"private-two\" is not a subnet ID: eksctl passes Fargate profile subnets to EKS as they are, and EKS takes only subnet IDs (vpc.subnets names it private-two: use its id, subnet-0aaaaaaaaaaaaaaa2)"
            ),
            (
                18,
                28,
                "fargateProfiles[0].subnets[1]",
                "Fargate runs pods only in private subnets; subnet-0324095a4f2188967 is vpc.subnets.public.public-one"
            ),
        ]
    );
    // The IDs the lab gives its own subnets (shown by `aws eks describe-cluster`) work too.
    let plain = loaded(HEAD);
    let id = Simulation::new(plain.spec).unwrap().state().subnets[1]
        .id
        .clone();
    let l = loaded(&format!(
        "{HEAD}fargateProfiles:\n  - name: fp\n    selectors: [{{namespace: batch}}]\n    subnets: [{id}]\n"
    ));
    assert!(l.warnings.is_empty(), "{}", lines(&l.warnings));
    assert_eq!(l.spec.fargate_profiles[0].subnets, [id]);
}

#[test]
fn malformed_subnet_ids_and_repeats_are_errors() {
    let e = refused(&format!(
        "{HEAD}vpc:\n  subnets:\n    private:\n      us-east-1a: {{id: sn-1}}\n      us-east-1b: {{id: subnet-0a}}\n      us-east-1c: {{id: subnet-0a}}\n"
    ));
    assert_eq!(
        positioned(&e),
        [
            (
                8,
                24,
                "vpc.subnets.private.us-east-1a.id",
                "invalid subnet ID \"sn-1\": subnet IDs look like subnet-0123456789abcdef0"
            ),
            (
                10,
                24,
                "vpc.subnets.private.us-east-1c.id",
                "subnet subnet-0a is listed twice in vpc.subnets"
            ),
        ]
    );
}
