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
  if (t.on == TriggerOn::kScroll && facts.scroll_percent < t.scroll_percent) {
    return Refuse("scroll: " + std::to_string(facts.scroll_percent) + "% of " +
                  std::to_string(t.scroll_percent) + "%");
  }
  if (t.on == TriggerOn::kDwell && facts.dwell_seconds < t.dwell_seconds) {
    return Refuse("dwell: " + std::to_string(facts.dwell_seconds) + " s of " +
                  std::to_string(t.dwell_seconds) + " s");
  }
  // The path itself stays out of the reason: reasons reach logs and `error` listeners.
  if (!UrlAllowed(t.url, facts.url_path)) {
    return Refuse(UrlAllowed({{}, t.url.exclude}, facts.url_path) ? "url: path not included"
                                                                  : "url: path excluded");
  }
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
  // Drawn last, so only a real opportunity consumes randomness; a rate of 1 needs no draw.
  // Written so a NaN rate fails closed (never shows).
  if (!(t.sample_rate >= 1) && !(host.RandomUnit() < t.sample_rate)) return Refuse("sampled out");
  return Show(t.delay_ms);
}

}  // namespace nazar
