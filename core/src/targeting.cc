#include "nazar/targeting.h"

#include <algorithm>
#include <utility>

namespace nazar {
namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;

TargetingDecision Refuse(std::string reason) {
  TargetingDecision decision;
  decision.reason = std::move(reason);
  return decision;
}

TargetingDecision Show(int delay_ms) {
  TargetingDecision decision;
  decision.show = true;
  decision.delay_ms = std::max(0, delay_ms);
  return decision;
}

}  // namespace

bool UrlGlobMatch(std::string_view pattern, std::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  // Greedy match with backtracking to the last '*' only: linear-time for practical patterns and
  // never exponential, since an earlier '*' never needs to absorb more once a later one matched.
  size_t p = 0, s = 0, star = std::string_view::npos, resume = 0;
  while (s < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool UrlAllowed(const UrlRules& rules, std::string_view path) {
  for (const std::string& pattern : rules.exclude) {
    if (UrlGlobMatch(pattern, path)) return false;
  }
  if (rules.include.empty()) return true;
  for (const std::string& pattern : rules.include) {
    if (UrlGlobMatch(pattern, path)) return true;
  }
  return false;
}

TargetingDecision Decide(const Survey& survey, const TargetingFacts& facts, Host& host) {
  const Trigger& t = survey.trigger;
  // nazar.show(id) is the site's explicit request: it shows any survey, whatever its trigger,
  // url rules, sample, history or completion. Only a manual survey's own delay applies.
  if (facts.kind == "manual") return Show(t.on == TriggerOn::kManual ? t.delay_ms : 0);
  if (t.on == TriggerOn::kManual) {
    return Refuse("trigger: manual survey, shown only by nazar.show()");
  }
  const std::string on = TriggerOnName(t.on);
  if (facts.kind != on) return Refuse("trigger: waits for " + on + ", not " + facts.kind);
  if (t.on == TriggerOn::kEvent && facts.event != t.event) {
    return Refuse("event: waits for \"" + t.event + "\", not \"" + facts.event + "\"");
  }
  // The path itself stays out of the reason: reasons reach logs and `error` listeners.
  if (!UrlAllowed(t.url, facts.url_path)) {
    return Refuse(UrlAllowed({{}, t.url.exclude}, facts.url_path) ? "url: path not included"
                                                                  : "url: path excluded");
  }
  // A kiosk is many people (facts.kiosk): no per-visitor cap applies.
  if (!facts.kiosk) {
    if (facts.completed && t.max_displays != 0) return Refuse("completed: already answered");
    if (t.max_displays > 0 && facts.displays >= t.max_displays) {
      return Refuse("max_displays: shown " + std::to_string(facts.displays) + " of " +
                    std::to_string(t.max_displays) + " times");
    }
    if (t.recontact_days > 0 && facts.last_display_ms >= 0) {
      // A clock that went backwards counts as no time elapsed.
      const int64_t elapsed =
          facts.now_ms > facts.last_display_ms ? facts.now_ms - facts.last_display_ms : 0;
      const int64_t wait = t.recontact_days * kDayMs;
      if (elapsed < wait) {
        const int64_t days_left = (wait - elapsed + kDayMs - 1) / kDayMs;
        return Refuse("recontact: " + std::to_string(days_left) +
                      (days_left == 1 ? " day left" : " days left"));
      }
    }
  }
  // Thresholds last among the rules, so a wait hint means only the fact itself is short.
  if (t.on == TriggerOn::kScroll && facts.scroll_percent < t.scroll_percent) {
    TargetingDecision d = Refuse("scroll: " + std::to_string(facts.scroll_percent) + "% of " +
                                 std::to_string(t.scroll_percent) + "%");
    d.wait_scroll_percent = t.scroll_percent;
    return d;
  }
  if (t.on == TriggerOn::kDwell && facts.dwell_seconds < t.dwell_seconds) {
    TargetingDecision d = Refuse("dwell: " + std::to_string(facts.dwell_seconds) + " s of " +
                                 std::to_string(t.dwell_seconds) + " s");
    d.wait_dwell_seconds = t.dwell_seconds;
    return d;
  }
  // Drawn last, so only a real opportunity consumes randomness; a rate of 1 needs no draw.
  // Once drawn, a visitor keeps the draw (the host stores it), so a reload never redraws, and a
  // raised rate admits the visitors it would have admitted from the start.
  // Written so a NaN rate fails closed (never shows).
  // A kiosk draws nothing: no visitor to remember a draw for.
  if (!facts.kiosk && !(t.sample_rate >= 1)) {
    const bool stored = facts.sample_draw >= 0 && facts.sample_draw < 1;
    const double draw = stored ? facts.sample_draw : host.RandomUnit();
    if (!(draw < t.sample_rate)) {
      TargetingDecision d = Refuse("sampled out");
      if (!stored) d.sample_draw = draw;
      return d;
    }
    TargetingDecision d = Show(t.delay_ms);
    if (!stored) d.sample_draw = draw;
    return d;
  }
  return Show(t.delay_ms);
}

}  // namespace nazar

namespace nazar {
namespace {

// Reads an optional whole number; false (with a message) when present but not one.
bool ReadInt(const Json& obj, const char* key, const std::string& at, int64_t* out,
             std::string* error) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!JsonIntInRange(*it, INT64_MIN, INT64_MAX, out)) {
    *error = at + "/" + key + ": expected a whole number";
    return false;
  }
  return true;
}

}  // namespace

Result<Json> DecideFromJson(const Json& request, Host& host) {
  if (!request.is_object()) return Status(StatusCode::kInvalidArgument, "request: expected an object");
  auto def = request.find("definition");
  Result<ParsedDefinitions> parsed =
      ParseDefinitionValue(def == request.end() ? Json() : *def, "/definition");
  if (!parsed.ok()) return parsed.status();
  auto facts_it = request.find("facts");
  if (facts_it == request.end() || !facts_it->is_object()) {
    return Status(StatusCode::kInvalidArgument, "/facts: expected an object");
  }
  const Json& f = *facts_it;
  TargetingFacts base;
  std::string error;
  const std::string* kind = FindString(f, "kind");
  if (kind == nullptr) return Status(StatusCode::kInvalidArgument, "/facts/kind: expected a string");
  base.kind = *kind;
  Result<bool> kiosk = ParseKioskMode(request, "/mode");
  if (!kiosk.ok()) return kiosk.status();
  base.kiosk = kiosk.value();
  if (const std::string* event = FindString(f, "event")) base.event = *event;
  if (const std::string* path = FindString(f, "url_path")) base.url_path = *path;
  int64_t scroll = 0, dwell = 0;
  if (!ReadInt(f, "scroll_percent", "/facts", &scroll, &error) ||
      !ReadInt(f, "dwell_seconds", "/facts", &dwell, &error) ||
      !ReadInt(f, "now_ms", "/facts", &base.now_ms, &error)) {
    return Status(StatusCode::kInvalidArgument, error);
  }
  base.scroll_percent = static_cast<int>(scroll < 0 ? 0 : scroll > 100 ? 100 : scroll);
  base.dwell_seconds = static_cast<int>(dwell < 0 ? 0 : dwell > 86400 * 365 ? 86400 * 365 : dwell);
  const std::string* only_field = FindString(request, "survey");
  const std::string only = only_field ? *only_field : "";
  static const Json kEmpty = Json::object();
  auto history_it = request.find("history");
  const Json& history =
      history_it != request.end() && history_it->is_object() ? *history_it : kEmpty;

  Json decisions = Json::array();
  Json show = nullptr;
  int wait_scroll = 0, wait_dwell = 0;
  for (const Survey& survey : parsed->surveys) {
    if (!only.empty() && survey.id != only) continue;
    TargetingFacts facts = base;
    if (auto h = history.find(survey.id); h != history.end() && h->is_object()) {
      const std::string at = "/history/" + survey.id;
      int64_t displays = 0;
      if (!ReadInt(*h, "displays", at, &displays, &error) ||
          !ReadInt(*h, "last_display_ms", at, &facts.last_display_ms, &error)) {
        return Status(StatusCode::kInvalidArgument, error);
      }
      facts.displays = static_cast<int>(displays < 0 ? 0 : displays > 1000000 ? 1000000 : displays);
      facts.completed = FindBool(*h, "completed", false);
      if (auto draw = h->find("sample_draw"); draw != h->end() && !draw->is_null()) {
        if (!draw->is_number() || !(draw->get<double>() >= 0 && draw->get<double>() < 1)) {
          return Status::Cold(StatusCode::kInvalidArgument,
                              [&] { return at + "/sample_draw: expected a number in [0, 1)"; });
        }
        facts.sample_draw = draw->get<double>();
      }
    }
    // Once one survey shows, the rest are not drawn for (a sample is one opportunity).
    const TargetingDecision d =
        show.is_null() ? Decide(survey, facts, host) : TargetingDecision{false, 0, "another survey shows"};
    Json entry = JsonObject({{"survey", survey.id}, {"show", d.show}, {"reason", d.reason}});
    if (d.sample_draw >= 0) entry["sample_draw"] = d.sample_draw;
    decisions.push_back(std::move(entry));
    if (d.show && show.is_null())
      show = JsonObject({{"survey", survey.id}, {"delay_ms", d.delay_ms}});
    if (d.wait_scroll_percent > 0 && (wait_scroll == 0 || d.wait_scroll_percent < wait_scroll)) {
      wait_scroll = d.wait_scroll_percent;
    }
    if (d.wait_dwell_seconds > 0 && (wait_dwell == 0 || d.wait_dwell_seconds < wait_dwell)) {
      wait_dwell = d.wait_dwell_seconds;
    }
  }
  if (!only.empty() && decisions.empty()) {
    return Status::Cold(StatusCode::kNotFound,
                        [&] { return "/survey: no survey \"" + only + "\""; });
  }
  const bool showing = !show.is_null();
  Json result = JsonObject({{"show", std::move(show)}, {"decisions", std::move(decisions)}});
  // Nothing to wait for once a survey shows.
  if (!showing && (wait_scroll > 0 || wait_dwell > 0)) {
    Json wait = Json::object();
    if (wait_scroll > 0) wait["scroll_percent"] = wait_scroll;
    if (wait_dwell > 0) wait["dwell_seconds"] = wait_dwell;
    result["wait"] = std::move(wait);
  }
  return result;
}

}  // namespace nazar
