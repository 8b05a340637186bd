//! Numbers typed in the console: refused with the real tools' words (pflag's, kubectl's,
//! eksctl's, the API server's) or the lab's limits, before any work, and what passes is
//! bounded; the same checks answer the workloads buttons, which submit commands directly.

use super::ec2_lab;
use eks_lab::cli::{CommandContext, parse_command};
use eks_lab::sim::api::ObjectKey;
use eks_lab::sim::command::Command;
use eks_lab::sim::quantity::MilliCpu;

fn parse(line: &str) -> Result<Command, String> {
    parse_command(line, &CommandContext::new("lab"))
}

#[test]
fn console_numbers_are_refused_in_the_tools_words() {
    let scale = "kubectl scale deployment web";
    let ng = "eksctl scale nodegroup --cluster=lab --name=ng-1";
    for (line, want) in [
        // kubectl scale: --replicas is an `int`; pflag's parse error, kubectl's own check,
        // then the lab's pod limit (kubectl itself would narrow to int32 unchecked).
        (
            format!("{scale} --replicas=x"),
            "error: invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax",
        ),
        (
            format!("{scale} --replicas=99999999999999999999"),
            "error: invalid argument \"99999999999999999999\" for \"--replicas\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
        ),
        (
            format!("{scale} --replicas=-1"),
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ),
        (
            format!("{scale} --replicas=10001"),
            "error: the lab runs at most 10000 pods: --replicas=10001 is more than that",
        ),
        (
            format!("{scale} --replicas=999999999999"),
            "error: the lab runs at most 10000 pods: --replicas=999999999999 is more than that",
        ),
        (
            format!("{scale} --replicas=0x2711"),
            "error: the lab runs at most 10000 pods: --replicas=10001 is more than that",
        ),
        // kubectl create deployment: int32 flags with a shorthand.
        (
            "kubectl create deployment web --image=nginx --replicas=2147483648".to_string(),
            "error: invalid argument \"2147483648\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"2147483648\": value out of range",
        ),
        (
            "kubectl create deployment web --image=nginx -r 20000".to_string(),
            "error: the lab runs at most 10000 pods: --replicas=20000 is more than that",
        ),
        // kubectl autoscale: int32 flags and its Validate.
        (
            "kubectl autoscale deployment web --max=0".to_string(),
            "error: --max=MAXPODS is required and must be at least 1, max: 0",
        ),
        (
            "kubectl autoscale deployment web --min=5 --max=2".to_string(),
            "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 5",
        ),
        (
            "kubectl autoscale deployment web --max=10001".to_string(),
            "error: the lab runs at most 10000 pods: --max=10001 is more than that",
        ),
        (
            "kubectl autoscale deployment web --max=3000000000".to_string(),
            "error: invalid argument \"3000000000\" for \"--max\" flag: strconv.ParseInt: parsing \"3000000000\": value out of range",
        ),
        // eksctl scale nodegroup: validateNumberOfNodesCLI, then the lab's node group limit.
        (
            format!("{ng} --nodes=-1"),
            "Error: number of nodes must be 0 or greater",
        ),
        (
            format!("{ng} --nodes-min=-1"),
            "Error: minimum of nodes must be 0 or greater",
        ),
        (
            format!("{ng} --nodes-min=3 --nodes-max=2"),
            "Error: maximum number of nodes must be greater than minimum number of nodes",
        ),
        (
            format!("{ng} --nodes=5 --nodes-max=4"),
            "Error: maximum number of nodes must be greater than or equal to number of nodes",
        ),
        (
            format!("{ng} --nodes=1 --nodes-min=2"),
            "Error: minimum number of nodes must be fewer than or equal to number of nodes",
        ),
        (
            format!("{ng} -N 1001"),
            "Error: the lab runs at most 1000 nodes in a node group: --nodes=1001 is more than that",
        ),
        (
            format!("{ng} --nodes=1.5"),
            "Error: invalid argument \"1.5\" for \"-N, --nodes\" flag: strconv.ParseInt: parsing \"1.5\": invalid syntax",
        ),
        // eksctl create nodegroup: eksctl's words for a managed group, EKS's quota.
        (
            "eksctl create nodegroup --cluster=lab --name=ng-9 --nodes=500".to_string(),
            "Error: maxSize (500) exceeds the quota of 450 nodes per managed node group",
        ),
        (
            "eksctl create nodegroup --cluster=lab --name=ng-9 --max-pods-per-node=-3".to_string(),
            "Error: managedNodeGroups[0].maxPodsPerNode cannot be negative",
        ),
        // Quantities as resource.Quantity reads them.
        (
            "kubectl set resources deployment web --requests=cpu=-1".to_string(),
            "error: Invalid value: \"-1\": must be greater than or equal to 0",
        ),
        (
            "kubectl set resources deployment web --requests=memory=1Ei".to_string(),
            "error: the lab takes memory and storage quantities up to 64Ti: 1Ei is more than that",
        ),
        (
            "kubectl set resources deployment web --requests=cpu=5q".to_string(),
            "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ),
        // The lab's own traffic command.
        (
            "ekslab traffic web --rps=1000001".to_string(),
            "error: the lab's traffic model takes at most 1000000 requests per second: --rps=1000001 is more than that",
        ),
        (
            "ekslab traffic web --diurnal=0-2000000".to_string(),
            "error: the lab's traffic model takes at most 1000000 requests per second: --diurnal=0-2000000 is more than that",
        ),
        (
            "ekslab traffic web --rps=1 --spike=9 --for=99999999999999999s".to_string(),
            "error: --for: invalid duration \"99999999999999999s\": too long",
        ),
        // AWS CLI: botocore's minimum, EKS's maximum.
        (
            "aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1 --update-config maxUnavailable=-5".to_string(),
            "Parameter validation failed:\nInvalid value for parameter updateConfig.maxUnavailable, value: -5, valid min value: 1",
        ),
        (
            "aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1 --update-config maxUnavailable=99999999999".to_string(),
            "An error occurred (InvalidParameterException) when calling the UpdateNodegroupConfig operation: maxUnavailable must be between 1 and 100",
        ),
    ] {
        assert_eq!(parse(&line), Err(want.to_string()), "{line}");
    }
}

#[test]
fn numbers_at_the_limit_pass() {
    let key = ObjectKey::new("default", "web");
    assert_eq!(
        parse("kubectl scale deployment web --replicas=10000"),
        Ok(Command::ScaleDeployment {
            key: key.clone(),
            replicas: 10_000
        })
    );
    assert_eq!(
        parse("kubectl scale deployment web --replicas=0x10"),
        Ok(Command::ScaleDeployment { key, replicas: 16 })
    );
    assert_eq!(
        parse("eksctl scale nodegroup --cluster=lab --name=ng-1 --nodes=1000 --nodes-max=1000"),
        Ok(Command::ScaleNodegroup {
            name: "ng-1".into(),
            desired: Some(1000),
            min: None,
            max: Some(1000),
        })
    );
    let Ok(Command::SetResources { requests, .. }) =
        parse("kubectl set resources deployment web --requests=cpu=2E-1")
    else {
        panic!()
    };
    assert_eq!(requests.unwrap().cpu, Some(MilliCpu(200)));
    let long = format!("kubectl get pods #{}", "x".repeat(16 * 1024));
    assert_eq!(
        parse(&long),
        Err(format!(
            "error: the lab reads command lines of at most 16384 bytes: this one has {}",
            long.len()
        ))
    );
}

#[test]
fn queries_have_the_same_line_limit() {
    let sim = ec2_lab();
    let long = format!("kubectl get pods {}", "a".repeat(16 * 1024));
    assert_eq!(
        eks_lab::view::console::run_query(&sim, &long),
        Some(Err(format!(
            "error: the lab reads command lines of at most 16384 bytes: this one has {}",
            long.len()
        )))
    );
}

#[test]
fn commands_built_elsewhere_meet_the_same_checks_in_the_simulation() {
    let mut sim = ec2_lab();
    let key = ObjectKey::new("default", "web");
    let pods_before = sim.state().pods.len();
    for (replicas, want) in [
        (
            10_001,
            "error: the lab runs at most 10000 pods: --replicas=10001 is more than that",
        ),
        (
            i32::MAX,
            "error: the lab runs at most 10000 pods: --replicas=2147483647 is more than that",
        ),
        (
            -1,
            "The Scale \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        ),
    ] {
        sim.submit(
            Command::ScaleDeployment {
                key: key.clone(),
                replicas,
            },
            "",
        );
        sim.step();
        assert_eq!(
            sim.outcomes().last().unwrap().result,
            Err(want.to_string()),
            "{replicas}"
        );
    }
    sim.step();
    assert_eq!(sim.state().deployments[&key].spec.replicas, 3);
    assert_eq!(sim.state().pods.len(), pods_before, "no work was done");
    // The API server checks what a console builder made, as it checks a file.
    let Ok(cmd) = parse("kubectl create deployment api --image=nginx --port=0") else {
        panic!()
    };
    sim.submit(cmd, "");
    sim.step();
    assert_eq!(
        sim.outcomes().last().unwrap().result,
        Err("The Deployment \"api\" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive".into())
    );
    sim.submit(
        Command::ScaleNodegroup {
            name: "ng-1".into(),
            desired: None,
            min: None,
            max: Some(451),
        },
        "",
    );
    sim.step();
    assert_eq!(
        sim.outcomes().last().unwrap().result,
        Err("Error: maxSize (451) exceeds the quota of 450 nodes per managed node group".into())
    );
}
