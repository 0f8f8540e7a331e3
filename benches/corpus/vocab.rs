//! The words post-mortems are made of, taken from the shapes of the shipped
//! corpus (Kubernetes, JupyterHub, AWS, CI): systems, symptoms, changes, people.
//! Lists are ordered most common first: `Rng::pick_skewed` favours the head.

pub const SYSTEMS: &[&str] = &[
    "hub", "cluster", "helm chart", "kube-dns", "CoreDNS", "the proxy", "Prometheus",
    "the ingress controller", "Traefik", "KIAM", "the autoscaler", "the load balancer",
    "the ALB", "EKS", "the node pool", "the database", "the API server", "etcd",
    "Kafka", "Flux", "the CI pipeline", "Prow", "the image puller", "the NFS server",
    "the PVC provisioner", "Grafana", "Alertmanager", "the VPC CNI", "kube-proxy",
    "the certificate manager", "cert-manager", "the registry", "Fluentd", "CloudWatch",
    "the notebook server", "the scheduler", "Terraform", "the service mesh", "Vault",
    "the DNS resolver", "the metrics exporter", "ADFS", "the LDAP sync", "Redis",
    "the billing account", "the storage bucket", "the webhook", "branchprotector",
    "the admission controller", "Istio", "Envoy", "the job runner", "Tide",
];

pub const SYMPTOMS: &[&str] = &[
    "returned 503 for all services", "went into CrashLoopBackOff", "stopped responding",
    "was OOMKilled repeatedly", "reported NotReady", "timed out on every request",
    "returned 504 after 60 seconds", "failed health checks", "dropped DNS queries",
    "filled its disk", "lost its persistent volume", "could not pull the image",
    "ran out of IP addresses", "exhausted its file watches", "stopped exporting metrics",
    "rejected valid certificates", "served stale configuration", "leaked connections",
    "restarted every few minutes", "hung on startup", "returned 404 for every route",
    "evicted most pods", "hit the API rate limit", "stopped shipping logs",
    "deadlocked on a migration", "refused connections", "was stuck in Pending",
];

pub const CHANGES: &[&str] = &[
    "a helm chart upgrade to v0.6", "an upgrade from 1.13 to 1.14", "a config change",
    "a Terraform provider bump to 3.45", "a node AMI update", "a manual kubectl command",
    "a merge to the production branch", "a Flux version bump", "a certificate rotation",
    "a database migration", "a new autoscaler script", "a network policy change",
    "a scheduled pipeline run", "an expired service account", "a quota change",
    "a kernel update", "a DNS record change", "a security patch for Log4Shell",
    "an accidental revert of the IaC repository", "a new admission webhook",
    "a PVC resize", "a change of the default namespace", "an image tag mismatch",
];

pub const IMPACTS: &[&str] = &[
    "students could not start their notebooks", "all services returned errors",
    "jobs could not be scheduled", "no PR could merge", "users were logged out",
    "alerts did not fire", "dashboards showed no data", "deployments were blocked",
    "the lab had to be rescheduled", "logs were lost for two hours",
    "customers saw intermittent timeouts", "nothing was lost but capacity dropped",
];

pub const FIXES: &[&str] = &[
    "rolled back the helm release", "restarted the pods", "cordoned and drained the node",
    "downgraded the chart to v0.5.0", "reattached the target group", "resized the PVC",
    "rebuilt and pushed the hub image", "reverted the commit", "scaled the node pool up",
    "rotated the certificate", "raised the inotify limit", "patched the CoreDNS config",
    "deleted the stuck pods", "re-ran the pipeline", "restored the database from backup",
    "increased the memory limit", "recreated the service account",
];

pub const ACTION_VERBS: &[&str] = &[
    "Add monitoring for", "Document the recovery of", "Write a runbook for",
    "Alert on errors from", "Automate the upgrade of", "Add a staging check for",
    "Pin the version of", "Review the permissions of", "Set resource limits on",
    "Add a synthetic probe for", "Block merges that change", "Test the restore of",
    "Move away from manual changes to", "Add priority classes to", "Load test",
];

/// Rare technical words: each appears in few documents, for rare-word queries.
pub const RARE: &[&str] = &[
    "inotify", "Log4Shell", "mojibake", "seccomp", "conntrack", "hugepages",
    "split-brain", "thundering-herd", "tombstone", "cgroupv2", "fsync", "bitflip",
    "nodelocaldns", "kubelet-eviction", "leap-second", "zookeeper", "ephemeral-storage",
];

pub const PEOPLE: &[&str] = &[
    "Yuvi", "Ryan", "Chris", "Stian", "Inge", "Katharine", "Steve", "Anna", "Mads",
    "Felipe", "Priya", "Tomasz", "Aiko", "Jonas", "Leila", "Omar", "Sofia", "Wei",
];

pub const TEAMS: &[&str] = &[
    "datahub", "radix", "prow", "hellman", "platform", "data8", "sre", "infra",
    "payments", "search", "identity", "observability",
];

pub const ENVS: &[&str] = &["prod", "staging", "dev", "-dev", "-prod", "beta-3", "weekly-51"];

pub const ACTION_GROUPS: &[&str] = &[
    "Process", "Monitoring", "Deployment", "Documentation", "Testing", "Tooling",
];

pub const DETAILS: &[&str] = &[
    "The dashboards for the node pool showed memory pressure well before the first alert.",
    "Nobody was paged because the alert routed to a channel that was muted during the holidays.",
    "The rollback itself took longer than expected because the previous image had been garbage collected.",
    "Several users reported the problem in Slack before monitoring caught it.",
    "The runbook described an older version of the deployment and had to be adapted on the fly.",
    "Traffic was shifted to the secondary region while the primary was being repaired.",
    "The change had been tested on staging, but staging does not run the same node types.",
    "Logs from the affected pods were rotated away before anyone could read them.",
    "The on-call engineer had to request elevated access, which added twenty minutes.",
    "A similar failure had happened a few months earlier and was never fully explained.",
];

pub const FILLER: &[&str] = &[
    "After some investigation it was determined that",
    "It turned out that",
    "We noticed that",
    "At the same time",
    "Shortly after,",
    "Unfortunately,",
    "As a result,",
    "Meanwhile",
    "Once confirmed,",
    "The on-call engineer saw that",
];
