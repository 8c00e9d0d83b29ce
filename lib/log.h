/* SPDX-License-Identifier: BSD-3-Clause */
/* Messages for people (stderr) or JSON (-j): errors, info, warnings. */
#ifndef TB_LOG_H
#define TB_LOG_H

#include <stdbool.h>

/* Set once by main: errors go out as JSON on stdout instead of text on stderr. */
void tb_log_set_json(bool json);
bool tb_log_json(void);

/* One-line error for the user, object first. */
void tb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress for people; silent in JSON mode so stdout stays parseable. */
void tb_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
