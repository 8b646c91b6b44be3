/* A UDP echo server for the published-port tests (the image's busybox has no UDP server):
 * every datagram to 0.0.0.0:PORT goes back to its sender. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(argc > 1 ? atoi(argv[1]) : 53), .sin_addr.s_addr = htonl(INADDR_ANY) };
  if (fd < 0 || bind(fd, (struct sockaddr *)&at, sizeof at) < 0) return 1;
  for (;;) {
    char buffer[2048];
    struct sockaddr_in from;
    socklen_t length = sizeof from;
    ssize_t n = recvfrom(fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &length);
    if (n >= 0) sendto(fd, buffer, (size_t)n, 0, (struct sockaddr *)&from, length);
  }
}
