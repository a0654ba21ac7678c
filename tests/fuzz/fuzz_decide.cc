// libFuzzer target: DecideFromJson (the targeting request web/ sends) on arbitrary JSON text.
// Text that is not JSON is dropped before the call, as the C ABI does. Checks the result's shape
// and its consistency with the definition: "show" is the first survey whose decision shows; a
// survey shown for anything but a manual request passes its own url rules; a refusal says why;
// the same request with the same randomness decides the same way.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "nazar/definition.h"
#include "fake_host.h"
#include "nazar/json.h"
#include "nazar/targeting.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

constexpr int64_t kNowMs = 1795390200000;  // 2026-11-22T23:30:00Z
constexpr uint64_t kSeed = 7;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  const nazar::Json request = nazar::ParseJson(text, text + size);
  if (request.is_discarded()) return 0;

  nazar::FakeHost host(kNowMs, kSeed);
  const nazar::Result<nazar::Json> result = nazar::DecideFromJson(request, host);
  nazar::FakeHost same_host(kNowMs, kSeed);
  const nazar::Result<nazar::Json> repeat = nazar::DecideFromJson(request, same_host);
  Check(result.ok() == repeat.ok());
  if (!result.ok()) {
    Check(!result.status().message().empty());
    Check(result.status().message() == repeat.status().message());
    return 0;
  }
  Check(*result == *repeat);

  const nazar::Json& r = *result;
  Check(r.is_object() && r.contains("show") && r.contains("decisions"));
  const nazar::Json& decisions = r["decisions"];
  Check(decisions.is_array());

  // The definition again, independently of the decision, for its url rules.
  const nazar::Json& def = request["definition"];
  const nazar::ParsedDefinitions parsed =
      nazar::ParseDefinitions(def.is_string() ? def.get<std::string>() : def.dump());
  Check(parsed.ok());
  const std::string* kind = nazar::FindString(request["facts"], "kind");
  const std::string* path = nazar::FindString(request["facts"], "url_path");
  Check(kind != nullptr);

  const nazar::Json* first_shown = nullptr;
  size_t at = 0;  // decisions come in file order
  for (const nazar::Json& d : decisions) {
    Check(d.is_object() && d["survey"].is_string() && d["show"].is_boolean() &&
          d["reason"].is_string());
    const std::string& id = d["survey"].get_ref<const std::string&>();
    while (at < parsed.surveys.size() && parsed.surveys[at].id != id) ++at;
    Check(at < parsed.surveys.size());
    const nazar::Survey& survey = parsed.surveys[at];
    if (!d["show"].get<bool>()) {
      Check(!d["reason"].get_ref<const std::string&>().empty());
      continue;
    }
    if (first_shown == nullptr) first_shown = &d;
    if (*kind != "manual") {
      Check(survey.trigger.on != nazar::TriggerOn::kManual);
      Check(nazar::UrlAllowed(survey.trigger.url, path ? *path : ""));
    }
  }
  const nazar::Json& show = r["show"];
  if (first_shown == nullptr) {
    Check(show.is_null());
  } else {
    Check(show.is_object() && show["survey"] == (*first_shown)["survey"]);
    Check(show["delay_ms"].is_number_integer());
    const int64_t delay = show["delay_ms"].get<int64_t>();
    Check(delay >= 0 && delay <= 600000);
  }
  return 0;
}
