/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest agent: runs the host's commands (argv, no shell) on the virtio-serial ports
 * named tb.agent*, one command per port at a time, framing as in agent-proto.h.
 * A static program, started by the guest's /init (usually as PID 1, so it also reaps
 * orphans). It never opens a socket: the guest sends nothing on the network by itself.
 *
 * A virtio port reports POLLHUP for as long as no host is connected, so a port whose
 * host left is taken out of the poll set; the kernel's SIGIO on a host (re)connecting
 * or sending, and a 1 s tick, put it back. The guest learns of a host's arrival
 * (a control message) and its first bytes (the data queue) separately and in either
 * order, and a host may leave and another arrive between two looks: so a hang-up kills
 * the port's command only when it lasts HUP_GRACE_MS without data or a connected look.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent-proto.h"

#define MAX_PORTS 16
#define MAX_SESS (2 * MAX_PORTS)
#define OUTQ_HIGH (256 * 1024) /* stop reading a command's output above this backlog */
#define OUTQ_CAP (4 * OUTQ_HIGH)
#define OUT_CHUNK 16384
#define TICK_MS 1000
#define HUP_GRACE_MS 1500
#define HUP_RECHECK_MS 100 /* looks at a hung-up port with work pending this often */
#define PORTS_DIR "/sys/class/virtio-ports"
#define AGENT_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

struct port {
	char name[64];
	char dev[48];	   /* vportNpM */
	int fd;		   /* -1: not open (yet) */
	int64_t hup_since; /* no host connected since (ms), 0: connected; left out of poll */
	bool recheck;	   /* polled once more although hup_since is set */
	struct sess *cur;  /* the command of this port's host, or NULL */
	struct vm_agent_rx rx;
	uint8_t *q; /* frames waiting for the port */
	size_t q_off, q_len;
};

struct sess {
	bool used;
	pid_t pid;	   /* 0 once reaped */
	int fd[2];	   /* stdout, stderr read ends; -1 once closed */
	struct port *port; /* NULL: host gone or replaced; output dropped, no EXIT */
	uint32_t id;
	int wstatus;
	bool timed_out;
	int64_t deadline; /* ms on CLOCK_MONOTONIC, 0: none */
};

static struct port ports[MAX_PORTS];
static int n_ports;
static struct sess sessions[MAX_SESS];

static char *const agent_env[] = {"PATH=" AGENT_PATH, "HOME=/", "LC_ALL=C", "TERM=dumb", NULL};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
say(const char *fmt, const char *a, const char *b)
{
	dprintf(2, "tb-agent: ");
	dprintf(2, fmt, a, b);
	dprintf(2, "\n");
}

/* Appends a frame (payload may be NULL when len is 0) to the port's queue. */
static void
queue_frame(struct port *p, uint8_t type, uint32_t id, const void *data, size_t len)
{
	if (p->fd < 0)
		return;
	if (p->q_len + VM_AGENT_HDR_LEN + len > OUTQ_CAP) {
		memmove(p->q, p->q + p->q_off, p->q_len - p->q_off);
		p->q_len -= p->q_off;
		p->q_off = 0;
	}
	/* cannot happen with the backlog limit (at most a few frames above OUTQ_HIGH) */
	if (p->q_len + VM_AGENT_HDR_LEN + len > OUTQ_CAP)
		return;
	vm_agent_put_hdr(p->q + p->q_len, type, id, len);
	if (len > 0)
		memcpy(p->q + p->q_len + VM_AGENT_HDR_LEN, data, len);
	p->q_len += VM_AGENT_HDR_LEN + len;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Reads what one output pipe holds now; returns false at EOF or error (pipe closed). */
static bool
pump(struct sess *s, int i)
{
	uint8_t buf[OUT_CHUNK];
	ssize_t n = read(s->fd[i], buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		close_fd(&s->fd[i]);
		return false;
	}
	if (s->port != NULL)
		queue_frame(s->port, i == 0 ? VM_AGENT_STDOUT : VM_AGENT_STDERR, s->id, buf, n);
	return true;
}

/* The command was reaped: its remaining output, then EXIT; its group goes too. */
static void
sess_finish(struct sess *s)
{
	uint8_t exitp[8];
	uint32_t how, value;
	int i;

	for (i = 0; i < 2; i++)
		while (s->fd[i] >= 0 && pump(s, i) &&
		       (s->port == NULL || s->port->q_len - s->port->q_off < 2 * OUTQ_HIGH))
			;
	close_fd(&s->fd[0]);
	close_fd(&s->fd[1]);
	if (s->port != NULL) {
		if (s->timed_out) {
			how = VM_AGENT_TIMEDOUT;
			value = 0;
		} else if (WIFSIGNALED(s->wstatus)) {
			how = VM_AGENT_SIGNALED;
			value = WTERMSIG(s->wstatus);
		} else {
			how = VM_AGENT_EXITED;
			value = WEXITSTATUS(s->wstatus);
		}
		vm_agent_put32(exitp, how);
		vm_agent_put32(exitp + 4, value);
		queue_frame(s->port, VM_AGENT_EXIT, s->id, exitp, sizeof(exitp));
		s->port->cur = NULL;
	}
	s->used = false;
}

/* Kills the command's process group; its session stays until it is reaped. */
static void
sess_kill(struct sess *s, int sig)
{
	if (s->pid <= 0)
		return;
	kill(-s->pid, sig);
	/* the child may not have made its group yet */
	kill(s->pid, sig);
}

/* The port's host left or replaced the command: kill it, drop its output. */
static void
sess_orphan(struct port *p)
{
	if (p->cur == NULL)
		return;
	sess_kill(p->cur, SIGKILL);
	p->cur->port = NULL;
	p->cur = NULL;
}

static void
sess_start(struct port *p, uint32_t id, uint32_t timeout_ms, const char *const argv[])
{
	struct sess *s = NULL;
	int out[2], err[2], i;
	sigset_t all;
	char msg[160];

	sess_orphan(p);
	for (i = 0; i < MAX_SESS && s == NULL; i++)
		if (!sessions[i].used)
			s = &sessions[i];
	if (s == NULL || pipe2(out, O_CLOEXEC) < 0)
		goto fail;
	if (pipe2(err, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	s->pid = fork();
	if (s->pid == 0) {
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		setsid();
		i = open("/dev/null", O_RDONLY);
		dup2(i, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (chdir("/") < 0)
			_exit(126);
		execvpe(argv[0], (char *const *)argv, agent_env);
		i = errno;
		dprintf(2, "tb-agent: cannot run \"%s\": %s\n", argv[0], strerror(i));
		_exit(i == ENOENT ? 127 : 126);
	}
	close(out[1]);
	close(err[1]);
	if (s->pid < 0) {
		close(out[0]);
		close(err[0]);
		goto fail;
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	s->used = true;
	s->fd[0] = out[0];
	s->fd[1] = err[0];
	s->port = p;
	s->id = id;
	s->wstatus = 0;
	s->timed_out = false;
	s->deadline = timeout_ms ? now_ms() + timeout_ms : 0;
	p->cur = s;
	return;
fail:
	/* as a shell would: a message on stderr, status 126 */
	snprintf(msg, sizeof(msg), "tb-agent: cannot start \"%.40s\": %s\n", argv[0],
		 s == NULL ? "too many commands" : strerror(errno));
	queue_frame(p, VM_AGENT_STDERR, id, msg, strlen(msg));
	vm_agent_put32((uint8_t *)msg, VM_AGENT_EXITED);
	vm_agent_put32((uint8_t *)msg + 4, 126);
	queue_frame(p, VM_AGENT_EXIT, id, msg, 8);
}

static void
port_frame(struct port *p, const struct vm_agent_frame *f)
{
	const char *argv[VM_AGENT_MAX_ARGS + 1];
	uint32_t timeout_ms, sig;

	if (f->type == VM_AGENT_EXEC) {
		if (vm_agent_decode_exec(f, &timeout_ms, argv, VM_AGENT_MAX_ARGS + 1) < 0) {
			say("%s: bad exec request%s", p->name, "");
			return;
		}
		sess_start(p, f->id, timeout_ms, argv);
	} else if (f->type == VM_AGENT_KILL && f->len == 4 && p->cur != NULL &&
		   p->cur->id == f->id) {
		sig = vm_agent_get32(f->data);
		sess_kill(p->cur, sig > 0 && sig < 65 ? (int)sig : SIGKILL);
	}
}

/* The host left for good: forget its requests and output, kill its command. */
static void
port_hangup(struct port *p)
{
	sess_orphan(p);
	vm_agent_rx_reset(&p->rx);
	p->q_off = p->q_len = 0;
}

/* Nothing to read and no host: the start of a hang-up, or a host not announced yet. */
static void
port_hup(struct port *p)
{
	if (p->hup_since == 0)
		p->hup_since = now_ms();
}

static void
port_read(struct port *p)
{
	struct vm_agent_frame f;
	size_t room;
	uint8_t *dst;
	ssize_t n;
	int ret;

	for (;;) {
		dst = vm_agent_rx_space(&p->rx, &room);
		n = read(p->fd, dst, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n == 0) {
			/* nothing buffered and no host connected */
			port_hup(p);
			return;
		}
		if (n < 0) {
			port_hangup(p);
			p->hup_since = now_ms();
			return;
		}
		p->hup_since = 0; /* someone is there */
		vm_agent_rx_commit(&p->rx, n);
		while ((ret = vm_agent_rx_next(&p->rx, &f)) != 0) {
			if (ret < 0) {
				/* a stream that lost its place: find the next header */
				vm_agent_rx_skip(&p->rx);
				continue;
			}
			port_frame(p, &f);
		}
	}
}

static void
port_write(struct port *p)
{
	ssize_t n;

	while (p->q_off < p->q_len) {
		n = write(p->fd, p->q + p->q_off, p->q_len - p->q_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return; /* host slow, or not connected (yet) */
		if (n <= 0) {
			port_hangup(p);
			p->hup_since = now_ms();
			return;
		}
		p->q_off += n;
	}
	p->q_off = p->q_len = 0;
}

static int
port_open(struct port *p)
{
	char path[80];

	snprintf(path, sizeof(path), "/dev/%s", p->dev);
	p->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (p->fd < 0)
		return -errno;
	/* SIGIO when the host connects or sends */
	fcntl(p->fd, F_SETOWN, getpid());
	fcntl(p->fd, F_SETFL, O_RDWR | O_NONBLOCK | O_ASYNC);
	p->hup_since = 0;
	return 0;
}

/* Adds the tb.agent* ports not seen yet; returns how many are named, open or not. */
static int
scan_ports(int *unnamed)
{
	char path[300], name[64];
	struct dirent *de;
	DIR *d;
	FILE *f;
	int i;

	*unnamed = 0;
	d = opendir(PORTS_DIR);
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "vport", 5) != 0)
			continue;
		snprintf(path, sizeof(path), PORTS_DIR "/%s/name", de->d_name);
		name[0] = '\0';
		f = fopen(path, "re");
		if (f != NULL) {
			if (fgets(name, sizeof(name), f) == NULL)
				name[0] = '\0';
			fclose(f);
		}
		name[strcspn(name, "\n")] = '\0';
		if (name[0] == '\0') {
			(*unnamed)++;
			continue;
		}
		if (strncmp(name, VM_AGENT_PORT_PREFIX, strlen(VM_AGENT_PORT_PREFIX)) != 0)
			continue;
		for (i = 0; i < n_ports; i++)
			if (strcmp(ports[i].dev, de->d_name) == 0)
				break;
		if (i < n_ports || n_ports == MAX_PORTS)
			continue;
		struct port *p = &ports[n_ports];

		p->q = malloc(OUTQ_CAP);
		if (p->q == NULL)
			continue;
		snprintf(p->name, sizeof(p->name), "%s", name);
		snprintf(p->dev, sizeof(p->dev), "%.47s", de->d_name);
		p->fd = -1;
		n_ports++;
	}
	closedir(d);
	for (i = 0; i < n_ports; i++)
		if (ports[i].fd < 0)
			port_open(&ports[i]);
	return n_ports;
}

/* Ports appear (and get their names) shortly after the driver loads: wait till steady. */
static void
settle_ports(void)
{
	int64_t start = now_ms(), stable_since = start;
	int last = -1, n, unnamed;

	while (now_ms() - start < 3000) {
		n = scan_ports(&unnamed);
		if (n != last || unnamed > 0) {
			last = n;
			stable_since = now_ms();
		} else if (now_ms() - stable_since >= 300) {
			return;
		}
		usleep(20000);
	}
}

static void
reap(void)
{
	int wstatus, i;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		for (i = 0; i < MAX_SESS; i++) {
			struct sess *s = &sessions[i];

			if (!s->used || s->pid != pid)
				continue;
			s->wstatus = wstatus;
			s->pid = 0;
			/* nothing of the command may outlive it */
			kill(-pid, SIGKILL);
			sess_finish(s);
		}
	}
}

static bool
port_pending(const struct port *p)
{
	return p->hup_since != 0 && (p->cur != NULL || p->q_len > 0 || p->rx.len > 0);
}

static int
poll_timeout(int64_t now)
{
	int64_t t = TICK_MS, left;
	int i;

	for (i = 0; i < n_ports; i++) {
		if (!port_pending(&ports[i]))
			continue;
		left = ports[i].hup_since + HUP_GRACE_MS - now;
		if (left > HUP_RECHECK_MS)
			left = HUP_RECHECK_MS;
		if (left < t)
			t = left < 0 ? 0 : left;
	}
	for (i = 0; i < MAX_SESS; i++) {
		if (!sessions[i].used || sessions[i].deadline == 0 || sessions[i].pid == 0)
			continue;
		left = sessions[i].deadline - now;
		if (left < t)
			t = left < 0 ? 0 : left;
	}
	return t;
}

static void
check_deadlines(int64_t now)
{
	int i;

	for (i = 0; i < MAX_SESS; i++) {
		struct sess *s = &sessions[i];

		if (s->used && s->pid > 0 && s->deadline != 0 && now >= s->deadline) {
			s->timed_out = true;
			s->deadline = 0;
			sess_kill(s, SIGKILL);
		}
	}
}

static int
serve(int sfd)
{
	struct pollfd pfd[1 + MAX_PORTS + 2 * MAX_SESS];
	int who[1 + MAX_PORTS + 2 * MAX_SESS]; /* port index, or ~(session * 2 + stream) */
	struct signalfd_siginfo si;
	int64_t last_tick = now_ms(), now;
	int n, i, j, unnamed;

	for (;;) {
		n = 0;
		pfd[n].fd = sfd;
		pfd[n].events = POLLIN;
		who[n++] = 0;
		for (i = 0; i < n_ports; i++) {
			if (ports[i].fd < 0 || (ports[i].hup_since != 0 && !ports[i].recheck))
				continue;
			ports[i].recheck = false;
			pfd[n].fd = ports[i].fd;
			pfd[n].events = POLLIN | (ports[i].q_len > ports[i].q_off ? POLLOUT : 0);
			who[n++] = i;
		}
		for (i = 0; i < MAX_SESS; i++) {
			struct sess *s = &sessions[i];

			if (!s->used ||
			    (s->port != NULL && s->port->q_len - s->port->q_off > OUTQ_HIGH))
				continue;
			for (j = 0; j < 2; j++) {
				if (s->fd[j] < 0)
					continue;
				pfd[n].fd = s->fd[j];
				pfd[n].events = POLLIN;
				who[n++] = ~(i * 2 + j);
			}
		}
		if (poll(pfd, n, poll_timeout(now_ms())) < 0 && errno != EINTR)
			return -errno;
		if (pfd[0].revents & POLLIN) {
			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo != SIGIO)
					continue;
				for (i = 0; i < n_ports; i++)
					ports[i].recheck = true;
			}
			reap();
		}
		for (i = 1; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (who[i] >= 0) {
				struct port *p = &ports[who[i]];

				if (!(pfd[i].revents & POLLHUP))
					p->hup_since = 0;
				if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
					port_read(p);
				if (p->fd >= 0 && (pfd[i].revents & POLLOUT))
					port_write(p);
			} else {
				struct sess *s = &sessions[~who[i] / 2];

				j = ~who[i] % 2;
				if (s->used && s->fd[j] >= 0)
					pump(s, j);
			}
		}
		/* output queued by this round goes out now if the port takes it */
		for (i = 0; i < n_ports; i++)
			if (ports[i].fd >= 0 && ports[i].q_len > ports[i].q_off)
				port_write(&ports[i]);
		now = now_ms();
		check_deadlines(now);
		for (i = 0; i < n_ports; i++) {
			if (!port_pending(&ports[i]))
				continue;
			if (now - ports[i].hup_since >= HUP_GRACE_MS)
				port_hangup(&ports[i]);
			else
				ports[i].recheck = true; /* a host may have arrived unannounced */
		}
		if (now - last_tick >= TICK_MS) {
			last_tick = now;
			scan_ports(&unnamed);
			for (i = 0; i < n_ports; i++)
				ports[i].recheck = true;
		}
	}
}

int
main(int argc, char **argv)
{
	const char *ready = NULL;
	sigset_t mask;
	int sfd, opt;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r') {
			dprintf(2, "usage: tb-guest-agent [-r READY_LINE]\n");
			return 2;
		}
		ready = optarg;
	}
	setenv("PATH", AGENT_PATH, 1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGIO);
	sigaddset(&mask, SIGPIPE);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigdelset(&mask, SIGPIPE);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		say("signalfd: %s%s", strerror(errno), "");
		return 1;
	}
	/* commands' orphans are ours to reap when we are not PID 1 */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	settle_ports();
	if (ready != NULL)
		dprintf(1, "%s\n", ready);
	return serve(sfd) < 0 ? 1 : 0;
}
