/* SPDX-License-Identifier: BSD-3-Clause */
/* Ctrl-C and SIGTERM as a request to stop (stop.h). */
#include <signal.h>
#include <stddef.h>

#include "stop.h"

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

int
tb_stop_signal(void)
{
	return stop_signal;
}

const char *
tb_stop_reason(void)
{
	return stop_signal == SIGTERM ? "stopped by SIGTERM" : "stopped by SIGINT";
}

void
tb_stop_catch(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
