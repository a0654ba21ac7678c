// The real host: POSIX clock and getentropy. Under Emscripten these map to Date.now() and
// crypto.getRandomValues(), so no Emscripten-specific code is needed here.
#include <cstddef>  // Emscripten's sys/random.h uses size_t without including it
#include <cstdint>
#include <cstdlib>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "nazar/platform_host.h"

namespace nazar {
namespace {

class PosixHost : public Host {
 public:
  int64_t NowMs() override {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
  }
  void FillRandom(uint8_t* out, size_t size) override {
    while (size > 0) {
      const size_t chunk = size < 256 ? size : 256;  // getentropy's limit per call
      // No cryptographic source: fail closed. Sampling and local-DP noise must never come from a
      // guessable generator; in a browser this ends the core (no survey shows).
      if (getentropy(out, chunk) != 0) std::abort();
      out += chunk;
      size -= chunk;
    }
  }
};

}  // namespace

Host& PlatformHost() {
  static PosixHost host;
  return host;
}

}  // namespace nazar
