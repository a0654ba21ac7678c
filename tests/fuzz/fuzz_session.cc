// libFuzzer target: a widget session (CreateWidget, then HandleEvent per decoded event) driven
// by arbitrary bytes, the way web/ drives it through the C ABI. Byte 0 picks the survey, locale
// and UTC offset; then each event takes two bytes (kind, value) plus, for text entry, up to 63
// bytes of text. Events travel as JSON text, as over the ABI (invalid UTF-8 in typed text
// arrives as U+FFFD, as TextEncoder makes it). Checks on every update: its shape; every payload
// it stores or sends passes PayloadFromJson (the collector's parser); a survey whose comments
// are "drop" never puts free text in a payload, and scrubbed comment text is a fixed point of
// ScrubPii; a batch is sent at most once.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "nazar/aggregate.h"
#include "fake_host.h"
#include "nazar/json.h"
#include "nazar/privacy.h"
#include "nazar/widget.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// Every question kind, show_if on a scale and on a choice, RTL texts; `privacy` varies.
std::string Definition(const char* privacy, int csat_scale) {
  return std::string(R"({"nazar": 1, "id": "fuzz", "version": "1", "default_locale": "en",
  "trigger": {"on": "manual"},
  "questions": [
    {"id": "nps", "type": "nps", "text": {"en": "Recommend us?", "fa": "پیشنهاد؟"}},
    {"id": "why", "type": "text", "max_length": 40, "text": {"en": "Why?"},
     "show_if": {"question": "nps", "max": 6}},
    {"id": "ease", "type": "ces", "scale": 7, "text": {"en": "Easy?"}},
    {"id": "sat", "type": "csat", "scale": )") +
         std::to_string(csat_scale) + R"(, "text": {"en": "Satisfied?"}},
    {"id": "channel", "type": "choice", "text": {"en": "Where?"},
     "options": [{"id": "web", "text": {"en": "Web"}}, {"id": "app", "text": {"en": "App"}},
                 {"id": "social", "text": {"en": "Social"}}]},
    {"id": "nets", "type": "choice", "multiple": true, "required": false, "text": {"en": "Which?"},
     "options": [{"id": "x", "text": {"en": "X"}}, {"id": "insta", "text": {"en": "Insta"}}],
     "show_if": {"question": "channel", "any_of": ["social"]}},
    {"id": "stars", "type": "rating", "scale": 10, "style": "stars", "required": false,
     "text": {"en": "Stars?"}},
    {"id": "more", "type": "text", "text": {"en": "Anything else?"}}
  ],
  "privacy": )" + privacy + "}";
}

struct Variant {
  std::string definition;
  bool scrubbed;  // comments may leave (scrubbed)
};

const Variant* Variants() {
  static const Variant variants[] = {
      {Definition(R"({"comments": "scrubbed"})", 5), true},
      {Definition(R"({"comments": "drop", "local_dp_epsilon": 2})", 3), false},
      {Definition(R"({"local_dp_epsilon": 0.5, "nps_full_histogram": true})", 7), false},
  };
  return variants;
}
constexpr int kVariants = 3;

const char* const kLocales[] = {"en", "fa", "ar", "fr-CA"};
const char* const kOptions[] = {"web", "app", "social", "x", "insta", "nope", ""};
const char* const kKeys[] = {"ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "Home",
                             "End",        "Escape",    "Enter",   " ",         "Tab"};
const char* const kPersianDigits[] = {"۰", "۱", "۲", "۳", "۴", "۵", "۶", "۷", "۸", "۹"};

// A scale value as web/ may send it: a number, a string, or a string of Persian digits.
nazar::Json ScaleValue(uint8_t b) {
  const int v = b % 16 - 2;  // -2..13: in and out of every scale
  if (b & 0x80) return v;
  if ((b & 0x40) && v >= 0 && v <= 9) return kPersianDigits[v];
  return std::to_string(v);
}

// The next event from the input, or null at its end.
nazar::Json NextEvent(const uint8_t*& p, const uint8_t* end) {
  if (end - p < 2) return nullptr;
  const uint8_t kind = *p++;
  const uint8_t arg = *p++;
  auto action = [](const char* a, nazar::Json value) {
    return nazar::Json{{"type", "action"}, {"action", a}, {"value", std::move(value)}};
  };
  switch (kind % 11) {
    case 0: return action("select", ScaleValue(arg));
    case 1: return action("toggle", kOptions[arg % 7]);
    case 2: {
      const size_t n = std::min<size_t>(arg % 64, static_cast<size_t>(end - p));
      std::string text(reinterpret_cast<const char*>(p), n);
      p += n;
      return {{"type", "input"}, {"action", "text"}, {"value", text}};
    }
    case 3: return action("next", nullptr);
    case 4: return action("back", nullptr);
    case 5: return action("skip", nullptr);
    case 6: return action("close", nullptr);
    case 7: {
      const bool scale = arg & 0x80;
      nazar::Json value = scale ? ScaleValue(arg >> 3) : nazar::Json(kOptions[(arg >> 4) % 7]);
      return {{"type", "key"},
              {"key", kKeys[arg % 10]},
              {"action", scale ? "select" : "toggle"},
              {"value", std::move(value)}};
    }
    case 8: return {{"type", "dismiss"}};
    case 9: return action("launch", arg);
    default: return {{"type", arg % 2 ? "warp" : ""}};
  }
}

// Checks one update (from Start or HandleEvent) and the payloads it carries.
void CheckUpdate(const nazar::Json& u, bool scrubbed, std::map<std::string, int>* sends) {
  Check(u.is_object());
  Check(u["view"].is_object());
  Check(u["effects"].is_array() && u["events"].is_array());
  Check(u["handled"].is_boolean());
  for (const nazar::Json& e : u["effects"]) {
    Check(e.is_object() && e["type"].is_string());
    // A tally never carries comments; comments travel in their own effect and payload.
    if (e["type"] == "comments") Check(scrubbed && e["after"].is_string());
    if (e["type"] == "send" && e.contains("batch")) {
      Check(++(*sends)[e["batch"].get<std::string>()] == 1);
    }
    auto payload = e.find("payload");
    if (payload == e.end()) continue;
    Check(nazar::PayloadFromJson(*payload).ok());
    Check(e["type"] == "comments" || !payload->contains("comments"));
    auto comments = payload->find("comments");
    if (comments == payload->end()) continue;
    Check(scrubbed);
    for (const nazar::Json& c : *comments) {
      const std::string& text = c["text"].get_ref<const std::string&>();
      Check(nazar::ScrubPii(text) == text);
    }
  }
  // Events reach the host page and its tag managers: they name the survey and question, never
  // what was answered (Contract 2).
  for (const nazar::Json& ev : u["events"]) {
    Check(ev.is_object() && ev["type"].is_string());
    for (auto it = ev.begin(); it != ev.end(); ++it) {
      Check(it.key() == "type" || it.key() == "survey" || it.key() == "question");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  const uint8_t setup = *p++;
  const Variant& variant = Variants()[setup % kVariants];
  const nazar::Json config = {{"definition", variant.definition},
                              {"locale", kLocales[(setup / kVariants) % 4]},
                              {"site", "shop.example"},
                              {"utc_offset_minutes", (setup % 32) * 30 - 480}};
  nazar::FakeHost host(1795390200000, setup);
  nazar::Result<std::unique_ptr<nazar::Widget>> widget = nazar::CreateWidget(config, &host);
  Check(widget.ok());
  std::map<std::string, int> sends;
  CheckUpdate((*widget)->Start(), variant.scrubbed, &sends);

  for (int steps = 0; steps < 200; ++steps) {
    const nazar::Json built = NextEvent(p, end);
    if (built.is_null()) break;
    // Over the ABI an event is JSON text; a string that was not UTF-8 arrives repaired.
    const std::string wire = built.dump(-1, ' ', false, nazar::Json::error_handler_t::replace);
    const nazar::Json event = nazar::ParseJson(wire.data(), wire.data() + wire.size());
    Check(!event.is_discarded());
    host.Advance(1000);
    const nazar::Result<nazar::Json> update = (*widget)->HandleEvent(event);
    if (!update.ok()) {
      Check(!update.status().message().empty());
      continue;
    }
    CheckUpdate(*update, variant.scrubbed, &sends);
  }
  return 0;
}
