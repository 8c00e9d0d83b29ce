/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * KVM or TCG for QEMU guests, by probing: /dev/kvm may exist and still hang a Linux guest
 * (it does on the build host), so only a probe boot that reaches the kernel's root mount
 * in time counts. The verdict is cached beside the guest image, keyed by boot id, kernel
 * and QEMU, so the probe's seconds are paid once per host boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "fsutil.h"
#include "log.h"
#include "probe.h"
#include "runcmd.h"
#include "up.h"

#define KVM_PROBE_MS 15000

static void
host_key(char *buf, size_t len)
{
	char *boot = NULL, *qemu = NULL;
	const char *argv[] = {"qemu-system-x86_64", "--version", NULL};

	tb_read_file("/proc/sys/kernel/random/boot_id", &boot, NULL);
	tb_run(argv, &(struct tb_run_opts){.timeout_ms = 5000}, &qemu, NULL);
	snprintf(buf, len, "%s|%s", boot != NULL ? boot : "?",
		 qemu != NULL ? strtok(qemu, "\n") ?: "?" : "?");
	free(boot);
	free(qemu);
}

int
up_vm_accel(enum vm_accel *accel, char *why, size_t len)
{
	char key[512], cache[512], *text = NULL;
	struct probe p;
	json_t *j;
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		*accel = VM_ACCEL_TCG;
		snprintf(why, len, "TCG: /dev/kvm: %s", strerror(errno));
		return 0;
	}
	close(fd);
	host_key(key, sizeof(key));
	snprintf(cache, sizeof(cache), "%s.accel.json", TB_GUEST_IMAGE_DIR);
	if (tb_read_file(cache, &text, NULL) == 0) {
		j = json_loads(text, 0, NULL);
		free(text);
		if (j != NULL && strcmp(json_string_value(json_object_get(j, "key")) ?: "", key) == 0) {
			*accel = json_is_true(json_object_get(j, "kvm")) ? VM_ACCEL_KVM : VM_ACCEL_TCG;
			snprintf(why, len, "%s (cached probe: %s)", *accel == VM_ACCEL_KVM ? "KVM" :
				 "TCG", json_string_value(json_object_get(j, "detail")) ?: "");
			json_decref(j);
			return 0;
		}
		json_decref(j);
	}
	tb_info("probing KVM with a guest boot (up to %d s, once per host boot)",
		KVM_PROBE_MS / 1000);
	probe_qemu_boot("kvm", KVM_PROBE_MS, &p);
	probe_kvm_explain(&p);
	*accel = p.ok ? VM_ACCEL_KVM : VM_ACCEL_TCG;
	snprintf(why, len, "%s (probe: %s)", p.ok ? "KVM" : "TCG", p.detail);
	j = json_pack("{s:s, s:b, s:s}", "key", key, "kvm", p.ok, "detail", p.detail);
	text = json_dumps(j, 0);
	if (text != NULL)
		tb_write_atomic(cache, text, strlen(text), 0644);
	free(text);
	json_decref(j);
	return 0;
}
