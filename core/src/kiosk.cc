#include "nazar/kiosk.h"

#include <algorithm>

#include "nazar/i18n.h"

namespace nazar {
namespace {

// The staff's count stops here (a year of a busy kiosk is far below).
constexpr int64_t kMaxCount = 1000000000;

// A whole number in [lo, hi] from a JSON integer or a string of (any script's) digits.
bool ReadBounded(const Json& obj, const char* key, const char* attribute, int64_t lo, int64_t hi,
                 int64_t* out, Status* error) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  int64_t v = 0;
  bool ok = false;
  if (it->is_number_integer()) {
    ok = JsonIntInRange(*it, lo, hi, &v);
  } else if (it->is_string()) {
    const std::string s = NormalizeDigits(it->get<std::string>());
    ok = !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    for (size_t i = 0; ok && i < s.size(); ++i) v = v * 10 + (s[i] - '0');
    ok = ok && v >= lo && v <= hi;
  }
  if (!ok) {
    *error = Status::Cold(StatusCode::kInvalidArgument, [&] {
      return std::string("config/kiosk/") + key + ": expected a whole number from " +
             std::to_string(lo) + " to " + std::to_string(hi) + " (" + attribute + "), got " +
             JsonText(*it);
    });
    return false;
  }
  *out = v;
  return true;
}

}  // namespace

Result<bool> ParseKioskMode(const Json& obj, const std::string& at) {
  auto mode = obj.find("mode");
  if (mode == obj.end() || mode->is_null()) return false;
  if (*mode != "kiosk" && *mode != "default") {
    return Status::Cold(StatusCode::kInvalidArgument, [&] {
      return at + ": expected \"default\" or \"kiosk\", got " + JsonText(*mode);
    });
  }
  return *mode == "kiosk";
}

Result<KioskOptions> ParseKioskOptions(const Json& kiosk) {
  KioskOptions options;
  if (kiosk.is_null()) return options;
  if (!kiosk.is_object()) {
    return Status(StatusCode::kInvalidArgument, "config/kiosk: expected an object");
  }
  int64_t batch = options.batch, minutes = options.interval_ms / 60000,
          seconds = options.idle_ms / 1000;
  Status error;
  if (!ReadBounded(kiosk, "batch", "data-kiosk-batch", 1, 1000, &batch, &error) ||
      !ReadBounded(kiosk, "interval_minutes", "data-kiosk-interval", 1, 1440, &minutes, &error) ||
      !ReadBounded(kiosk, "idle_seconds", "data-kiosk-idle", 5, 3600, &seconds, &error)) {
    return error;
  }
  options.batch = static_cast<int>(batch);
  options.interval_ms = minutes * 60000;
  options.idle_ms = seconds * 1000;
  return options;
}

bool KioskBatchDue(const KioskOptions& options, int rounds, int64_t first_round_ms,
                   int64_t now_ms) {
  if (rounds <= 0) return false;
  return rounds >= options.batch || now_ms - first_round_ms >= options.interval_ms;
}

int64_t KioskWakeMs(const KioskOptions& options, int64_t now_ms, int64_t completed_ms,
                    int64_t last_input_ms, int rounds, int64_t first_round_ms) {
  int64_t at = -1;
  auto consider = [&](int64_t deadline) {
    if (at < 0 || deadline < at) at = deadline;
  };
  if (completed_ms >= 0) consider(completed_ms + options.thank_you_ms);
  if (completed_ms < 0 && last_input_ms >= 0) consider(last_input_ms + options.idle_ms);
  if (rounds > 0) consider(first_round_ms + options.interval_ms);
  return at < 0 ? -1 : std::max<int64_t>(0, at - now_ms);
}

int KioskUnsent(const Json& payloads, const std::string& survey, const std::string& current,
                int current_rounds) {
  int64_t total = current_rounds;
  if (payloads.is_array()) {
    for (const Json& p : payloads) {
      if (!p.is_object() || p.contains("kind")) continue;  // comments carry no answers
      const std::string* id = FindString(p, "survey");
      const std::string* batch = FindString(p, "batch");
      if (id == nullptr || *id != survey || (batch != nullptr && *batch == current)) continue;
      int64_t completions = 0;
      auto c = p.find("completions");
      if (c != p.end() && JsonIntInRange(*c, 0, kMaxCount, &completions)) total += completions;
    }
  }
  return static_cast<int>(std::min<int64_t>(total, kMaxCount));
}

}  // namespace nazar
