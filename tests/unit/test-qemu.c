/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "qemu.h"
#include "qmp.h"
#include "unit.h"

static struct vm_profile prof;
static struct vm_qemu_conf conf;
static struct vm_qemu_argv qa;
static char err[256], line[8192];

static void
setup(void)
{
	prof = (struct vm_profile){.kind = VM_KIND_QEMU,
				   .vcpus = 1,
				   .memory_mb = 256,
				   .queues = 1,
				   .rx_queue_size = 256,
				   .tx_queue_size = 256,
				   .offloads = true,
				   .mrg_rxbuf = true};
	conf = (struct vm_qemu_conf){.name = "g0",
				     .run_dir = "/run/testbed/t",
				     .profile = &prof,
				     .accel = VM_ACCEL_TCG,
				     .huge_dir = "/run/testbed/t/huge",
				     .node = 0,
				     .kernel = "/boot/k",
				     .initrd = "/i.img",
				     .ip_cidr = "198.18.1.1/24",
				     .n_agents = 2,
				     .nic = VM_NIC_VHOST_USER,
				     .mac = "02:74:62:00:00:00",
				     .vu_sock = "/run/testbed/t/vu0.sock"};
}

/* The argv joined with spaces. */
static const char *
build(void)
{
	size_t n = 0;
	int i;

	ck_assert_msg(vm_qemu_argv(&conf, &qa, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_null(qa.argv[qa.argc]);
	line[0] = '\0';
	for (i = 0; i < qa.argc; i++)
		n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? " " : "", qa.argv[i]);
	return line;
}

/* The argument after opt (the last one if repeated). */
static const char *
opt(const char *name)
{
	const char *v = NULL;
	int i;

	for (i = 0; i + 1 < qa.argc; i++)
		if (strcmp(qa.argv[i], name) == 0)
			v = qa.argv[i + 1];
	return v;
}

START_TEST(test_tcg_vhost_user)
{
	ck_assert_str_eq(
		build(),
		"qemu-system-x86_64 -name g0,debug-threads=on -accel tcg -cpu max -smp 1 -m 256 "
		"-object memory-backend-file,id=mem0,size=256M,mem-path=/run/testbed/t/huge,"
		"share=on,prealloc=on,host-nodes=0,policy=bind -numa node,memdev=mem0 "
		"-nodefaults -display none -no-user-config -sandbox on -no-reboot "
		"-kernel /boot/k -initrd /i.img "
		"-append console=ttyS0 quiet tb.ip=198.18.1.1/24 tb.name=g0 "
		"-serial file:/run/testbed/t/g0.console.log "
		"-qmp unix:/run/testbed/t/g0.qmp,server=on,wait=off "
		"-pidfile /run/testbed/t/g0.pid "
		"-device virtio-serial-pci,id=vser0 "
		"-chardev socket,id=agent0,path=/run/testbed/t/g0.agent0.sock,server=on,wait=off "
		"-device virtserialport,bus=vser0.0,chardev=agent0,name=tb.agent0 "
		"-chardev socket,id=agent1,path=/run/testbed/t/g0.agent1.sock,server=on,wait=off "
		"-device virtserialport,bus=vser0.0,chardev=agent1,name=tb.agent1 "
		"-chardev socket,id=vu0,path=/run/testbed/t/vu0.sock,server=on,wait=off "
		"-netdev vhost-user,id=net0,chardev=vu0,queues=1 "
		"-device virtio-net-pci,netdev=net0,mac=02:74:62:00:00:00,rx_queue_size=256,"
		"tx_queue_size=256,csum=on,guest_csum=on,host_tso4=on,host_tso6=on,guest_tso4=on,"
		"guest_tso6=on,mrg_rxbuf=on,packed=off,vectors=0");
	/* the -append value is one argument */
	ck_assert_str_eq(opt("-append"), "console=ttyS0 quiet tb.ip=198.18.1.1/24 tb.name=g0");
}
END_TEST

START_TEST(test_kvm_tap)
{
	conf.accel = VM_ACCEL_KVM;
	conf.nic = VM_NIC_TAP;
	conf.tap = "tbmain-q0";
	conf.vu_sock = NULL;
	conf.huge_dir = NULL; /* a tap guest needs no shared memory */
	conf.initrd = NULL;
	conf.gw = "198.18.2.254";
	conf.mtu = 9000;
	conf.n_agents = 0;
	conf.qemu_path = "/usr/bin/qemu-system-x86_64";
	prof.vcpus = 2;
	build();
	ck_assert_str_eq(qa.argv[0], "/usr/bin/qemu-system-x86_64");
	ck_assert_str_eq(opt("-accel"), "kvm");
	ck_assert_str_eq(opt("-cpu"), "host");
	ck_assert_str_eq(opt("-smp"), "2");
	ck_assert_str_eq(opt("-m"), "256");
	ck_assert_ptr_null(opt("-object"));
	ck_assert_ptr_null(opt("-numa"));
	ck_assert_ptr_null(opt("-initrd"));
	ck_assert_ptr_null(opt("-chardev"));
	ck_assert_ptr_null(strstr(line, "virtio-serial"));
	ck_assert_str_eq(opt("-append"), "console=ttyS0 quiet tb.ip=198.18.1.1/24 tb.name=g0 "
					 "tb.gw=198.18.2.254 tb.mtu=9000");
	ck_assert_str_eq(opt("-netdev"),
			 "tap,id=net0,ifname=tbmain-q0,script=no,downscript=no,vhost=off");
	/* MSI-X stays under KVM */
	ck_assert_str_eq(opt("-device"),
			 "virtio-net-pci,netdev=net0,mac=02:74:62:00:00:00,rx_queue_size=256,"
			 "tx_queue_size=256,csum=on,guest_csum=on,host_tso4=on,host_tso6=on,"
			 "guest_tso4=on,guest_tso6=on,mrg_rxbuf=on,packed=off");
	conf.vhost_net = true;
	build();
	ck_assert_str_eq(opt("-netdev"),
			 "tap,id=net0,ifname=tbmain-q0,script=no,downscript=no,vhost=on");
}
END_TEST

START_TEST(test_offloads_off_and_queues)
{
	prof.offloads = false;
	prof.packed = true;
	prof.mrg_rxbuf = false;
	prof.queues = 4;
	prof.vcpus = 4;
	prof.rx_queue_size = 1024;
	prof.tx_queue_size = 512;
	conf.node = -1;
	build();
	ck_assert_str_eq(opt("-object"), "memory-backend-file,id=mem0,size=256M,"
					 "mem-path=/run/testbed/t/huge,share=on,prealloc=on");
	ck_assert_str_eq(opt("-netdev"), "vhost-user,id=net0,chardev=vu0,queues=4");
	ck_assert_str_eq(
		opt("-device"),
		"virtio-net-pci,netdev=net0,mac=02:74:62:00:00:00,mq=on,rx_queue_size=1024,"
		"tx_queue_size=512,csum=off,guest_csum=off,host_tso4=off,host_tso6=off,"
		"guest_tso4=off,guest_tso6=off,mrg_rxbuf=off,packed=on,vectors=0");
	conf.nic = VM_NIC_TAP;
	conf.tap = "tbmain-q0";
	build();
	ck_assert_str_eq(opt("-netdev"),
			 "tap,id=net0,ifname=tbmain-q0,script=no,downscript=no,vhost=off,queues=4");
}
END_TEST

START_TEST(test_bad_conf)
{
	struct vm_profile netns = prof;
	char name[128];

	conf.huge_dir = NULL;
	ck_assert_int_eq(vm_qemu_argv(&conf, &qa, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "qemu: guest \"g0\": vhost-user needs shared guest memory (give a "
			      "hugetlbfs dir)");
	setup();
	conf.name = "g,0";
	ck_assert_int_eq(vm_qemu_argv(&conf, &qa, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "qemu: guest name \"g,0\" contains one of \", /=\t\n\"");
	setup();
	memset(name, 'g', 100);
	name[100] = '\0';
	conf.name = name;
	ck_assert_int_eq(vm_qemu_argv(&conf, &qa, err, sizeof(err)), -ENAMETOOLONG);
	ck_assert_ptr_nonnull(strstr(err, "(a unix socket path)"));
	setup();
	netns.kind = VM_KIND_NETNS;
	conf.profile = &netns;
	ck_assert_int_eq(vm_qemu_argv(&conf, &qa, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "qemu: guest \"g0\" has no kind = qemu profile");
	setup();
	conf.n_agents = 5;
	ck_assert_int_eq(vm_qemu_argv(&conf, &qa, err, sizeof(err)), -EINVAL);
	setup();
	conf.mtu = 10;
	ck_assert_int_eq(vm_qemu_argv(&conf, &qa, err, sizeof(err)), -EINVAL);
	setup();
	conf.nic = VM_NIC_TAP;
	ck_assert_int_eq(vm_qemu_argv(&conf, &qa, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "qemu: tap not given");
}
END_TEST

START_TEST(test_mac_and_paths)
{
	char mac[VM_MAC_LEN], path[64];

	ck_assert_int_eq(vm_qemu_mac(0, 0, mac, sizeof(mac)), 0);
	ck_assert_str_eq(mac, "02:74:62:00:00:00");
	ck_assert_int_eq(vm_qemu_mac(2, 0x1ff, mac, sizeof(mac)), 0);
	ck_assert_str_eq(mac, "02:74:62:02:01:ff");
	ck_assert_int_eq(vm_qemu_mac(256, 0, mac, sizeof(mac)), -ERANGE);
	ck_assert_int_eq(vm_qemu_mac(0, 65536, mac, sizeof(mac)), -ERANGE);
	ck_assert_int_eq(vm_qemu_mac(0, -1, mac, sizeof(mac)), -ERANGE);
	ck_assert_int_eq(vm_qemu_mac(0, 0, mac, 17), -ERANGE);
	ck_assert_int_eq(vm_qemu_run_path("/run/testbed/main", "vq0", "qmp", path, sizeof(path)),
			 0);
	ck_assert_str_eq(path, "/run/testbed/main/vq0.qmp");
	ck_assert_int_eq(vm_qemu_run_path("/run/testbed/main", "vq0", "qmp", path, 20),
			 -ENAMETOOLONG);
}
END_TEST

/* QMP replies as QEMU 7.2 sends them. */
START_TEST(test_qmp_messages)
{
	enum vm_qmp_msg kind;
	json_t *pl;
	int id;

	ck_assert_int_eq(vm_qmp_parse_msg("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, "
					  "\"minor\": 2, \"major\": 7}, \"package\": \"Debian\"}, "
					  "\"capabilities\": [\"oob\"]}}",
					  &kind, &pl, &id, err, sizeof(err)),
			 0);
	ck_assert_int_eq(kind, VM_QMP_GREETING);
	ck_assert_int_eq(id, -1);
	ck_assert_int_eq(
		vm_qmp_parse_msg("{\"return\": {}, \"id\": 3}", &kind, &pl, &id, err, sizeof(err)),
		0);
	ck_assert_int_eq(kind, VM_QMP_RETURN);
	ck_assert_int_eq(id, 3);
	ck_assert(json_is_object(pl));
	json_decref(pl);
	ck_assert_int_eq(vm_qmp_parse_msg("{\"id\": 4, \"error\": {\"class\": \"CommandNotFound\", "
					  "\"desc\": \"The command foo has not been found\"}}",
					  &kind, &pl, &id, err, sizeof(err)),
			 0);
	ck_assert_int_eq(kind, VM_QMP_ERROR);
	ck_assert_int_eq(id, 4);
	ck_assert_str_eq(err, "CommandNotFound: The command foo has not been found");
	ck_assert_int_eq(
		vm_qmp_parse_msg("{\"timestamp\": {\"seconds\": 1700000000, "
				 "\"microseconds\": 5}, \"event\": \"SHUTDOWN\", "
				 "\"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}}",
				 &kind, &pl, &id, err, sizeof(err)),
		0);
	ck_assert_int_eq(kind, VM_QMP_EVENT);
	ck_assert_str_eq(json_string_value(pl), "SHUTDOWN");
	json_decref(pl);
	ck_assert_int_eq(vm_qmp_parse_msg("{\"id\": 1}", &kind, &pl, &id, err, sizeof(err)),
			 -EPROTO);
	ck_assert_int_eq(vm_qmp_parse_msg("[1]", &kind, &pl, &id, err, sizeof(err)), -EPROTO);
	ck_assert_int_eq(vm_qmp_parse_msg("{\"return\": ", &kind, &pl, &id, err, sizeof(err)),
			 -EPROTO);
}
END_TEST

static json_t *
j(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);

	ck_assert_ptr_nonnull(v);
	return v;
}

START_TEST(test_qmp_vcpus_status)
{
	int tids[4];
	char st[32];
	json_t *r;

	/* out of order, as query-cpus-fast may list them */
	r = j("[{\"thread-id\": 3002, \"props\": {\"core-id\": 0, \"thread-id\": 0, "
	      "\"socket-id\": 1}, \"qom-path\": \"/machine/unattached/device[1]\", "
	      "\"cpu-index\": 1, \"target\": \"x86_64\"}, "
	      "{\"thread-id\": 3001, \"props\": {\"core-id\": 0, \"thread-id\": 0, "
	      "\"socket-id\": 0}, \"qom-path\": \"/machine/unattached/device[0]\", "
	      "\"cpu-index\": 0, \"target\": \"x86_64\"}]");
	ck_assert_int_eq(vm_qmp_parse_vcpus(r, tids, 4), 2);
	ck_assert_int_eq(tids[0], 3001);
	ck_assert_int_eq(tids[1], 3002);
	ck_assert_int_eq(vm_qmp_parse_vcpus(r, tids, 1), -ENOSPC);
	json_decref(r);
	r = j("[{\"thread-id\": 1, \"cpu-index\": 0}, {\"thread-id\": 2, \"cpu-index\": 0}]");
	ck_assert_int_eq(vm_qmp_parse_vcpus(r, tids, 4), -EPROTO);
	json_decref(r);
	r = j("[{\"thread-id\": 1, \"cpu-index\": 5}]");
	ck_assert_int_eq(vm_qmp_parse_vcpus(r, tids, 4), -EPROTO);
	json_decref(r);
	r = j("[]");
	ck_assert_int_eq(vm_qmp_parse_vcpus(r, tids, 4), -EPROTO);
	json_decref(r);
	r = j("{\"status\": \"running\", \"singlestep\": false, \"running\": true}");
	ck_assert_int_eq(vm_qmp_parse_status(r, st, sizeof(st)), 0);
	ck_assert_str_eq(st, "running");
	json_decref(r);
	r = j("{\"running\": true}");
	ck_assert_int_eq(vm_qmp_parse_status(r, st, sizeof(st)), -EPROTO);
	json_decref(r);
}
END_TEST

/* A fake QEMU: greeting, then an event before every reply, echoing the command's id. */
static void
fake_qemu(int lfd)
{
	char buf[4096], out[1024];
	size_t len = 0;
	ssize_t n;
	int fd = accept(lfd, NULL, NULL);
	char *nl;

	if (fd < 0)
		_exit(1);
	dprintf(fd, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n");
	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			_exit(0);
		len += (size_t)n;
		buf[len] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			json_t *req;
			const char *cmd;
			int id;

			*nl = '\0';
			req = json_loads(buf, 0, NULL);
			cmd = json_string_value(json_object_get(req, "execute"));
			id = (int)json_integer_value(json_object_get(req, "id"));
			dprintf(fd, "{\"event\": \"RTC_CHANGE\", \"data\": {}}\r\n");
			if (strcmp(cmd, "query-cpus-fast") == 0)
				snprintf(out, sizeof(out),
					 "[{\"cpu-index\": 0, \"thread-id\": %d}]", (int)getpid());
			else if (strcmp(cmd, "query-status") == 0)
				snprintf(out, sizeof(out), "{\"status\": \"paused\"}");
			else
				snprintf(out, sizeof(out), "{}");
			if (strcmp(cmd, "nope") == 0)
				dprintf(fd,
					"{\"id\": %d, \"error\": {\"class\": \"CommandNotFound\", "
					"\"desc\": \"no\"}}\r\n",
					id);
			else
				dprintf(fd, "{\"return\": %s, \"id\": %d}\r\n", out, id);
			if (strcmp(cmd, "quit") == 0)
				_exit(0);
			json_decref(req);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len + 1);
		}
	}
}

static pid_t
serve(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 1), 0);
	pid = fork();
	if (pid == 0)
		fake_qemu(lfd);
	close(lfd);
	return pid;
}

START_TEST(test_qmp_session)
{
	char dir[] = "/tmp/tb-test-qmp-XXXXXX", path[64], st[32];
	struct vm_qmp q;
	int tids[4], status;
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/g0.qmp", dir);
	/* no socket: gives up at the time limit */
	ck_assert_int_eq(vm_qmp_status(path, st, sizeof(st), 100, err, sizeof(err)), -ETIMEDOUT);
	pid = serve(path);
	ck_assert_int_eq(vm_qmp_vcpu_threads(path, tids, 4, 2000, err, sizeof(err)), 1);
	ck_assert_int_eq(tids[0], pid);
	waitpid(pid, &status, 0);
	unlink(path);

	pid = serve(path);
	ck_assert_msg(vm_qmp_open(&q, path, 2000, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(vm_qmp_exec(&q, "nope", NULL, NULL, 2000, err, sizeof(err)), -EIO);
	ck_assert_str_eq(err, "nope: CommandNotFound: no");
	ck_assert_int_eq(vm_qmp_exec(&q, "query-status", NULL, NULL, 2000, err, sizeof(err)), 0);
	ck_assert_int_eq(vm_qmp_exec(&q, "quit", NULL, NULL, 2000, err, sizeof(err)), 0);
	ck_assert_int_eq(vm_qmp_exec(&q, "query-status", NULL, NULL, 2000, err, sizeof(err)),
			 -ECONNRESET);
	vm_qmp_close(&q);
	vm_qmp_close(NULL);
	waitpid(pid, &status, 0);
	unlink(path);

	pid = serve(path);
	ck_assert_int_eq(vm_qmp_status(path, st, sizeof(st), 2000, err, sizeof(err)), 0);
	ck_assert_str_eq(st, "paused");
	waitpid(pid, &status, 0);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_pin)
{
	cpu_set_t set;
	int cpu = 0;

	ck_assert_int_eq(sched_getaffinity(0, sizeof(set), &set), 0);
	while (!CPU_ISSET(cpu, &set))
		cpu++;
	ck_assert_int_eq(vm_pin_thread(getpid(), -1), -EINVAL);
	ck_assert_int_eq(vm_pin_thread(getpid(), cpu), 0);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(set), &set), 0);
	ck_assert_int_eq(CPU_COUNT(&set), 1);
}
END_TEST

static Suite *
qemu_suite(void)
{
	Suite *s = suite_create("qemu");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_tcg_vhost_user);
	tcase_add_test(tc, test_kvm_tap);
	tcase_add_test(tc, test_offloads_off_and_queues);
	tcase_add_test(tc, test_bad_conf);
	tcase_add_test(tc, test_mac_and_paths);
	tcase_add_test(tc, test_qmp_messages);
	tcase_add_test(tc, test_qmp_vcpus_status);
	tcase_add_test(tc, test_qmp_session);
	tcase_add_test(tc, test_pin);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(qemu_suite)
