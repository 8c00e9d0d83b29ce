/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel bridge: create, attach ports. */
#ifndef TB_VSC_KBRIDGE_H
#define TB_VSC_KBRIDGE_H

#include <stddef.h>

/* Kernel bridge in the host namespace `ns`; guests' veth ends are its ports. */
int vsc_kbr_create(const char *ns, const char *br, char *err, size_t errlen);
int vsc_kbr_attach(const char *ns, const char *br, const char *port, char *err, size_t errlen);

#endif
