// The real host: the system clock and the platform's cryptographic random source. Its own
// target (nazar::platform), linked by the wasm modules, the CLI and the collector; the core
// itself only sees the Host interface, and tests pass a fake.
#ifndef NAZAR_PLATFORM_HOST_H_
#define NAZAR_PLATFORM_HOST_H_

#include "nazar/host.h"

namespace nazar {

// The process-wide platform host: clock_gettime and getentropy (under Emscripten, Date.now()
// and crypto.getRandomValues()).
Host& PlatformHost();

}  // namespace nazar

#endif  // NAZAR_PLATFORM_HOST_H_
