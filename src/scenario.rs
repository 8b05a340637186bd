//! Scenario files: one YAML stream holding an eksctl `ClusterConfig`, Kubernetes manifests
//! and a `Lab` document (seed, duration, timeline), turned into a `sim::spec::LabSpec`.
//! Also the command-line parser for `eksctl`/`kubectl` lines shared by the timeline and the
//! in-browser console. (Being written; see the module docs once it lands.)
