/* SPDX-License-Identifier: BSD-3-Clause */
/* An instance being built or grown: the context the steps of `up` share, and the steps. */
#ifndef TB_UP_H
#define TB_UP_H

#include <stdbool.h>
#include <sys/types.h>

#include <jansson.h>

#include "up-conf.h"
#include "coreplan.h"
#include "hugepages.h"
#include "netcmd.h"
#include "profile.h"
#include "qemu.h"
#include "topology.h"

/* What `up` builds from, shared by its steps. */
struct up_ctx {
	struct up_conf conf;
	struct topo topo;
	struct cp_plan plan;
	json_t *st;
	json_t *guests; /* state's "guests" array */
	char run_dir[256];
	char huge_dir[300];
	char host_ns[64]; /* tb-<inst>-host: host 0, where the switch lives */
	int n_hosts;      /* conf.hosts: namespaces hosts_ns[0..n_hosts) */
	char hosts_ns[TB_MAX_HOSTS][64];
	unsigned long page_kb;
	long pages;
	/* the guests being built now: [first, first + count) of each backend */
	int first, count;
	int shim_idx; /* which shim process serves them (0 at up, more when grown) */
	struct vm_profile prof; /* the guests' shape */
	bool vms;               /* QEMU guests (prof.kind == VM_KIND_QEMU) */
	bool colo;              /* vhost-user netns guests' adapter in testbed-pmd's switch */
	enum vm_accel accel;
	bool vhost_net;         /* /dev/vhost-net answers: bridge VMs use it */
	char cgroup_prev[600];  /* where this process was before up_cgroup_join; "" if not */
	char err[TB_ERR_LEN];
};

/* Journal helpers: record before (or right after) making, so down finds it. */
int up_journal_netns(struct up_ctx *u, const char *ns);
int up_journal_process(struct up_ctx *u, const char *role, pid_t pid);
int up_add_guest(struct up_ctx *u, const char *name, enum tb_backend be, unsigned int idx,
		 const char *ns, const char *pod, const char *addr, int cpu);
/* Index of the next guest core in the plan (guests of all backends share the list). */
int up_next_guest_cpu(struct up_ctx *u);
/* Whether guests go on every core when cores are shared (--guest-cores, or its default). */
bool up_guests_on_all(const struct up_conf *c);

/*
 * The instance's cgroup (lib/cgroup.h): joined while this process starts long-lived
 * children, so they and their descendants are in it; journaled once, removed by down.
 * Without cgroup v2 both do nothing.
 */
int up_cgroup_join(struct up_ctx *u);
void up_cgroup_part(struct up_ctx *u);

/* Steps every instance starts with (up, bench): each says what went wrong itself. */
int up_check_node(struct up_ctx *u);          /* conf.numa exists; loads u->topo */
int up_check_not_up(const struct up_ctx *u);  /* nothing of conf.instance is left */
int up_make_run_dir(struct up_ctx *u);        /* run dir + a fresh journal in u->st */
/* Hugepages on conf.numa for the demands (largest page size that fits), mounted at
 * u->huge_dir; journaled so that down gives them back. */
int up_reserve_hugepages(struct up_ctx *u, const struct hp_demand *d, int n);

/* `up` after its options: loads the profile, checks the host (node, backends, tools, pages,
 * nothing left of the instance), plans cores and says the plan; -EINVAL for bad input. */
int up_prepare(struct up_ctx *u);
/* Builds everything (Ctrl-C stops it), or undoes what it made; phase "up" saved. */
int up_build(struct up_ctx *u);

/* The context `up` had, rebuilt from its state st, with cores planned for `total` guests. */
int up_ctx_from_state(struct up_ctx *u, json_t *st, const char *inst, int total);
/*
 * The state of an instance that is up (phase "up"), for the commands that use one; else a
 * negative errno (*st NULL) and one line in err naming the instance, the phase found and
 * what to do (-ENOENT not up, -EXDEV/-EINVAL a bad state file, -EAGAIN not fully built).
 */
int up_state_load_up(const char *inst, json_t **st, char *err, size_t errlen);
/* Restarts the vhost-user switch under running guests (they reconnect). */
int up_switch_restart(struct up_ctx *u);

/* Hosts (cli/up-hosts.c): their namespaces, and with --hosts 2 the wires between them. */
void up_host_names(struct up_ctx *u); /* u->hosts_ns from conf.instance and n_hosts */
int up_host_ns(struct up_ctx *u);     /* creates the hosts' namespaces */
int up_wires(struct up_ctx *u);       /* veth wires, the hosts' own addresses */
const char *up_guest_host_ns(const struct up_ctx *u, int idx);
/* Guest idx's address (tb_addr_guest), shifted on real machine --host-index K. */
int up_guest_addr(const struct up_ctx *u, enum tb_backend be, int idx, char *buf, size_t len);
/*
 * Guest idx's index in the address plan, the one its MAC is made from: shifted by the
 * machine's --host-index (lib/addr.h tb_addr_machine_index: machines share a LAN).
 */
int up_guest_index(const struct up_ctx *u, int idx);
/* Host h's PMD cores into cpus (at most CP_MAX_PMD); returns how many. */
int up_host_pmd(const struct up_ctx *u, int h, int *cpus);
/* tb<inst>-w<kind><h>: kind 'v' the vhost-user wire, 'k' the kernel one. */
int up_wire_name(const struct up_ctx *u, char kind, int h, char *buf, size_t len);
/* The kernel bridge of host h (made on first use); its name into br. */
int up_kernel_bridge(struct up_ctx *u, int h, char *br, size_t brlen);

int up_vhost_user(struct up_ctx *u); /* OVS-DPDK, shim, vhost-user guests */
int up_vhost_guests(struct up_ctx *u); /* one more shim and its guests, OVS already up */
int up_bridge(struct up_ctx *u);     /* kernel bridge in the host namespace, veth guests */
int up_masquerade(struct up_ctx *u); /* pods with NAT on the same bridge */
/* tap, macvtap (netns guests through the relay; QEMU guests on a tap or macvtap fd) and
 * vhost-net (QEMU only): cli/up-relay.c */
int up_relay_backend(struct up_ctx *u, enum tb_backend be);
/* QEMU guest i of backend be (bridge, tap, vhost-net) on a tap on its host's bridge. */
int up_bridge_vm(struct up_ctx *u, enum tb_backend be, int i, const char *name, const char *addr,
		 const char *cidr);

/* One QEMU guest being made: filled by the backend, then up_vm_start, up_vm_ready. */
struct up_vm {
	char name[16];
	enum tb_backend be;
	int idx;
	int cpu;
	char addr[32];   /* what peers dial */
	char cidr[40];   /* the guest's own address (inside its pod for masquerade) */
	char gw[32];     /* "" or the default gateway */
	char ns[64];     /* "" or the namespace QEMU runs in (where its tap is) */
	char pod[64];    /* masquerade: its pod */
	char tap[32];    /* tap NIC: an existing tap in ns */
	bool vhost_net;  /* tap NIC: the kernel's vhost-net copies (vhost=on) */
	char tap_dev[300]; /* macvtap NIC: its character device, handed to QEMU as an fd */
	char sock[300];  /* vhost-user NIC: the socket QEMU serves */
	char qmp[300], console[300], log[300], agent[4][300];
	pid_t pid;
	unsigned long long start;
};

/* KVM when a probe boot works (cached per host boot), else TCG; why says which and why. */
int up_vm_accel(enum vm_accel *accel, char *why, size_t len);
/* A VM to make, its core taken from the plan; NULL past the limit. */
struct up_vm *up_vm_new(struct up_ctx *u);
/* Starts QEMU for vm (journaled); the guest boots on its own. */
int up_vm_start(struct up_ctx *u, struct up_vm *vm);
/* Waits for every VM started since the last call (TB-READY), pins its vCPUs and adds it
 * to the state's guests, in the order they were started. */
int up_vm_wait_all(struct up_ctx *u);

/* Instance inst as recorded, with live facts beside it (processes, hugepages, switch ports,
 * guests' links): the JSON `status` prints. */
int up_status(const char *inst, json_t **out, char *err, size_t errlen);

/*
 * The virtio rings the guests and testbed-pmd switches negotiated, from the switches'
 * telemetry: [{"host", "port", "socket", "ring", "features"}] for each attached vhost port
 * (an empty array with OVS-DPDK, which does not say).
 */
json_t *up_rings_negotiated(json_t *st);

/* What this host can run, and why not: topology, hugepages, probes (boots a guest under KVM
 * and TCG: up to 40 s), tools, a verdict per backend; why receives the QEMU accelerator line. */
int up_doctor(json_t **out, char *why, size_t whylen);
/* The link named by iface= in NIC devargs: 1 with link set, 0 when there is none, -EINVAL. */
int up_nic_iface(const char *devargs, char *link, size_t len);
/*
 * Whether `up --nic devargs` finds its NIC here: the iface= link exists, or the PCI device is
 * bound to vfio-pci. 0 (why says what was found) or -ENODEV / -EINVAL (why says what to do).
 */
int up_nic_probe(const char *devargs, char *why, size_t len);

/* Where the pmd/ program was built (beside this binary). */
int up_pmd_path(char *buf, size_t len);

#endif
