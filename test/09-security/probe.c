/* A static probe for chapter 09's kernel tests: run inside a container, it tries one
 * operation an attacker would and prints "ok" or the errno's name. Built by the test with
 * gcc -static, so it runs in any image. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int report(long r) {
  if (r < 0) printf("%s\n", strerrorname_np(errno)); else printf("ok\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *what = argv[1];
  if (!strcmp(what, "open_by_handle_at")) { /* shocker: a handle to the host root fs, through a bind-mounted file */
    struct { struct file_handle h; unsigned char bytes[128]; } fh = { .h.handle_bytes = 128 };
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, "/etc/hosts", &fh.h, &mount_id, 0) < 0) return report(-1);
    int fd = open("/etc/hosts", O_RDONLY);
    return report(open_by_handle_at(fd, &fh.h, O_RDONLY));
  }
  if (!strcmp(what, "unshare-user")) return report(unshare(CLONE_NEWUSER));
  if (!strcmp(what, "keyctl")) return report(syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0));
  if (!strcmp(what, "bpf")) return report(syscall(SYS_bpf, 0, NULL, 0));
  if (!strcmp(what, "perf_event_open")) return report(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
  if (!strcmp(what, "clock_settime")) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); return report(clock_settime(CLOCK_REALTIME, &t)); }
  if (!strcmp(what, "mount-cgroup")) { mkdir("/tmp/cg", 0755); return report(mount("cgroup", "/tmp/cg", "cgroup", 0, "devices")); }
  if (!strcmp(what, "mount-proc")) { mkdir("/tmp/p", 0755); return report(mount("proc", "/tmp/p", "proc", 0, NULL)); }
  if (!strcmp(what, "remount-rw") && argc > 2) return report(mount(NULL, argv[2], NULL, MS_REMOUNT | MS_BIND, NULL));
  if (!strcmp(what, "umount") && argc > 2) return report(umount2(argv[2], MNT_DETACH));
  if (!strcmp(what, "mkdir") && argc > 2) return report(mkdir(argv[2], 0755));
  if (!strcmp(what, "euid")) { printf("%d\n", geteuid()); return 0; }
  return 2;
}
