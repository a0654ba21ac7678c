// A wake-up a thread can poll() together with a socket: an eventfd that Notify() makes readable
// until Drain(). Used by live streams (StreamHub) and the PostgreSQL ChangeFeed.
#ifndef NAZAR_COLLECTOR_WAKEUP_H_
#define NAZAR_COLLECTOR_WAKEUP_H_

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace nazar::collector {

class Wakeup {
 public:
  Wakeup() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~Wakeup() {
    if (fd_ >= 0) close(fd_);
  }
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  // False when the descriptor could not be made (out of descriptors).
  bool ok() const { return fd_ >= 0; }
  // For poll() with POLLIN.
  int fd() const { return fd_; }
  // Makes fd() readable. Safe from any thread.
  void Notify() {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = write(fd_, &one, sizeof one);
  }
  // Makes fd() unreadable again.
  void Drain() {
    uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = read(fd_, &count, sizeof count);
  }

 private:
  int fd_;
};

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_WAKEUP_H_
