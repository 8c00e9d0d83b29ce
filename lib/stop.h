/* SPDX-License-Identifier: BSD-3-Clause */
/* Ctrl-C and SIGTERM as a request to stop: long commands finish the step under way, then undo. */
#ifndef TB_STOP_H
#define TB_STOP_H

/* From now on SIGINT and SIGTERM only set the flag (the handler does nothing else). */
void tb_stop_catch(void);
/* The signal that asked to stop, or 0. */
int tb_stop_signal(void);
/* "stopped by SIGINT" (or SIGTERM): what a step cut short by the stop request records. */
const char *tb_stop_reason(void);

#endif
