// Status and Result<T>: how every core API reports failure. The core never throws.
#ifndef NAZAR_RESULT_H_
#define NAZAR_RESULT_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace nazar {

// Error categories shared by the core, the C ABI and the JS wrapper. Values are part of the ABI:
// never renumber; web/src/binding/status.ts mirrors them and a test checks that.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,    // malformed input (bad JSON, wrong type, out-of-range value)
  kInvalidDefinition = 2,  // a survey definition failed validation
  kNotFound = 3,           // unknown survey, question or handle
  kFailedPrecondition = 4, // the call does not fit the current state
  kOutOfRange = 5,         // a value outside what the data allows
  kInternal = 6,           // a bug in Nazar
};

// Name of a status code, e.g. "invalid_argument", as used in JSON and JS errors.
const char* StatusCodeName(StatusCode code);

// An outcome without a value: ok, or a code with a human-readable message.
class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  // Out of line (result.cc): a literal message's std::string is made there, not at each caller.
  Status(StatusCode code, const char* message);
  static Status Ok() { return Status(); }
  // An error whose message `make()` builds out of line: for the errors of a call that valid input
  // also makes (a definition, a session's config, a targeting request), so that the message's
  // text and the code building it are in no function that valid input runs (a module split by
  // what runs can then leave them out of the part it loads first).
  template <class Make>
  [[gnu::noinline]] static Status Cold(StatusCode code, Make make) {
    return Status(code, make());
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or a non-ok Status. Check ok() before value(); value() on an error is a bug, which
// debug builds (every native test run) stop at.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& { return (assert(ok()), *value_); }
  T& value() & { return (assert(ok()), *value_); }
  T&& value() && { return (assert(ok()), std::move(*value_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace nazar

#endif  // NAZAR_RESULT_H_
