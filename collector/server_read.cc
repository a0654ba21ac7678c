// The collector's read routes: GET /v1/report, GET /v1/comments (each through Permit: a
// session, the bearer read token or a share), the pages under /analyze and GET /healthz
// (Contracts 4 and 5).
#include <httplib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>

#include "collector/server_internal.h"
#include "collector/totals.h"
#include "nazar/aggregate.h"
#include "nazar/privacy.h"
#include "nazar/terms.h"
#include "nazar/text_fold.h"

namespace nazar::collector {
namespace {

constexpr int kDefaultReportDays = 30;  // Contract 4: without from/to, the last 30 whole days
constexpr size_t kTermsPerGroup = 20;   // GET /v1/comments "terms"
constexpr size_t kMaxQueryBytes = 500;  // GET /v1/comments "q"

constexpr off_t kMaxPageFileBytes = 16 << 20;

// The content type of a page file by its extension; nullptr for a type the pages do not have.
const char* PageContentType(const std::string& name) {
  static const char* const kTypes[][2] = {{".html", "text/html; charset=utf-8"},
                                          {".js", "text/javascript; charset=utf-8"},
                                          {".mjs", "text/javascript; charset=utf-8"},
                                          {".css", "text/css; charset=utf-8"},
                                          {".wasm", "application/wasm"},
                                          {".svg", "image/svg+xml"},
                                          {".json", "application/json"},
                                          {".webmanifest", "application/manifest+json"},
                                          {".png", "image/png"}};
  for (const auto& [ext, type] : kTypes) {
    const size_t n = std::strlen(ext);
    if (name.size() > n && name.compare(name.size() - n, n, ext) == 0) return type;
  }
  return nullptr;
}

// True for a relative path of plain names ([A-Za-z0-9._-], none starting with a dot, no empty
// segment): it cannot leave the folder it is joined to, whatever was percent-encoded.
bool IsPlainRelativePath(const std::string& rel) {
  if (rel.empty() || rel.size() > 256) return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string::npos) end = rel.size();
    if (end == start || rel[start] == '.') return false;
    for (size_t i = start; i < end; ++i) {
      const char c = rel[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    start = end + 1;
  }
  return true;
}

}  // namespace

// from/to of a read request, or its named range (preset=, core PresetRange): the last 30 whole
// days by default. A given `to` after today is refused; every range is cut to `last_day`, here
// and nowhere else (a page sends the range its reader chose). False answered 400.
bool Server::Impl::Range(const httplib::Request& req, httplib::Response& res, int64_t last_day,
                         Calendar calendar, int64_t* from, int64_t* to) {
  const int64_t today = env.today();
  if (req.has_param("preset")) {
    if (req.has_param("from") || req.has_param("to")) {
      Fail(res, 400, "preset: give either preset or from/to, not both");
      return false;
    }
    Result<RangePreset> preset = ParseRangePreset(req.get_param_value("preset"));
    if (!preset.ok()) {
      Fail(res, 400, "preset: " + preset.status().message());
      return false;
    }
    const DayRange range = PresetRange(*preset, today, calendar);
    *from = range.from;
    *to = range.to;
  } else {
    const DayRange fallback = LastWholeDays(today, kDefaultReportDays);  // Contract 4's default
    *from = fallback.from;
    *to = fallback.to;
    for (const char* name : {"from", "to"}) {
      if (!req.has_param(name)) continue;
      const std::string text = req.get_param_value(name);
      std::optional<int64_t> day = text.size() == 10 ? ParseIsoDay(text) : std::nullopt;
      if (!day) {
        Fail(res, 400, std::string(name) + ": expected a day YYYY-MM-DD, got \"" + text + "\"");
        return false;
      }
      *(name[0] == 'f' ? from : to) = *day;
    }
    if (*from > *to) {
      Fail(res, 400, "from: " + FormatDay(*from) + " is after to " + FormatDay(*to));
      return false;
    }
    if (*to > today) {
      Fail(res, 400, "to: at most " + FormatDay(today) + " (today)");
      return false;
    }
  }
  // The route's last day (comments: yesterday) cuts every range alike; the answer's "to" says so.
  *to = std::min(*to, last_day);
  return true;
}

// The minimum count of a read request: the operator's, raised (never lowered) by the reader's
// `min_count`. False answered 400.
bool Server::Impl::MinCount(const httplib::Request& req, httplib::Response& res, int* min_count) {
  *min_count = options.min_count;
  if (!req.has_param("min_count")) return true;
  const std::string text = req.get_param_value("min_count");
  if (text.empty() || text.size() > 7 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    Fail(res, 400, "min_count: expected a whole number, got \"" + text + "\"");
    return false;
  }
  *min_count = std::max(options.min_count, std::stoi(text));
  return true;
}

void Server::Impl::HandleReport(const httplib::Request& req, httplib::Response& res) {
  if (!Permit(req, res, Route::kReport, req.get_param_value("survey"), nullptr)) return;
  ReportQuery query;
  if (!ParseReportQuery(req, res, &query)) return;
  bool unavailable = false;
  Result<Report> report = QueryReport(query, &unavailable);
  if (unavailable) return FailStore(res);
  if (!report.ok()) return Fail(res, 400, report.status().message());
  SetJson(res, 200, ReportToJson(*report));
}

bool Server::Impl::CalendarParam(const httplib::Request& req, httplib::Response& res,
                                 Calendar* calendar) {
  *calendar = Calendar::kGregorian;
  if (!req.has_param("calendar")) return true;
  Result<Calendar> c = ParseCalendar(req.get_param_value("calendar"));
  if (!c.ok()) {
    Fail(res, 400, "calendar: " + c.status().message());
    return false;
  }
  *calendar = *c;
  return true;
}

namespace {

// "locale:A..locale:B" as (A, B); nothing when `text` has another form.
std::optional<std::pair<std::string, std::string>> ParseLocalePair(const std::string& text) {
  static const std::string kPrefix = "locale:", kMiddle = "..locale:";
  const size_t middle = text.find(kMiddle);
  if (text.compare(0, kPrefix.size(), kPrefix) != 0 || middle == std::string::npos) {
    return std::nullopt;
  }
  std::string a = text.substr(kPrefix.size(), middle - kPrefix.size());
  std::string b = text.substr(middle + kMiddle.size());
  if (a.empty() || b.empty()) return std::nullopt;
  return std::make_pair(std::move(a), std::move(b));
}

}  // namespace

bool Server::Impl::ParseReportQuery(const httplib::Request& req, httplib::Response& res,
                                    ReportQuery* query) {
  const std::string survey = req.get_param_value("survey");
  if (survey.empty()) {
    Fail(res, 400, "survey: required");
    return false;
  }
  query->catalog = Snapshot();
  query->latest = query->catalog->Latest(survey);
  if (query->latest == nullptr) {
    Fail(res, 404, "survey: \"" + survey + "\" is not registered");
    return false;
  }
  if (!CalendarParam(req, res, &query->calendar)) return false;
  // A report may end today: it then moves with each answer, which a reader polling it can
  // difference (a privacy limit the collector's README states; live views are the dashboard's
  // stream, which steps by the minimum count).
  const int64_t today = env.today();
  if (!Range(req, res, today, query->calendar, &query->range.from, &query->range.to)) {
    return false;
  }
  if (req.has_param("by")) {
    Result<Period> period = ParsePeriod(req.get_param_value("by"));
    if (!period.ok()) {
      Fail(res, 400, "by: " + period.status().message());
      return false;
    }
    query->by = *period;
  }
  if (req.has_param("segment")) {
    if (req.get_param_value("segment") != "locale") {
      Fail(res, 400, "segment: expected locale, got \"" + req.get_param_value("segment") + "\"");
      return false;
    }
    query->by_locale = true;
  }
  if (req.has_param("compare")) {
    const std::string text = req.get_param_value("compare");
    if (text.compare(0, 7, "preset:") == 0) {
      Result<RangePreset> preset = ParseRangePreset(text.substr(7));
      if (!preset.ok()) {
        Fail(res, 400, "compare: " + preset.status().message());
        return false;
      }
      query->baseline = PresetRange(*preset, today, query->calendar);
    } else if (text.compare(0, 7, "locale:") == 0) {
      query->locales = ParseLocalePair(text);
      if (!query->locales) {
        Fail(res, 400, "compare: expected locale:A..locale:B, two locales, got \"" + text + "\"");
        return false;
      }
      if (!query->by_locale) {
        Fail(res, 400, "compare: locale:A..locale:B needs segment=locale");
        return false;
      }
    } else {
      Result<DayRange> range = ParseDayRange(text);
      if (!range.ok()) {
        Fail(res, 400,
             "compare: " + range.status().message() + " (or preset:NAME, or locale:A..locale:B)");
        return false;
      }
      if (range->to > today) {
        Fail(res, 400, "compare: ends at most " + FormatDay(today) + " (today)");
        return false;
      }
      query->baseline = *range;
    }
  }
  return MinCount(req, res, &query->options.min_count);
}

Result<Report> Server::Impl::QueryReport(const ReportQuery& q, bool* unavailable) {
  *unavailable = false;
  const Survey& latest = q.latest->survey;
  Result<Report> report = RangeReport(*q.catalog, latest, q.range.from, q.range.to, q.by,
                                      q.calendar, q.by_locale, q.options);
  if (!report.ok()) {
    *unavailable = true;
    return report;
  }
  if (q.baseline) {
    // The baseline range against this one: the overall cells, and with segment=locale every
    // locale shown on both sides, under one Benjamini-Hochberg adjustment.
    Result<Report> before = RangeReport(*q.catalog, latest, q.baseline->from, q.baseline->to,
                                        std::nullopt, q.calendar, q.by_locale, q.options);
    if (!before.ok()) {
      *unavailable = true;
      return before;
    }
    report->compare =
        q.by_locale ? CompareReportsBySegment(*before, *report) : CompareReports(*before, *report);
  } else if (q.locales) {
    Result<Comparison> c = CompareCells(*report, CellKey{q.locales->first, std::nullopt},
                                        CellKey{q.locales->second, std::nullopt});
    if (!c.ok()) return Status(c.status().code(), "compare: " + c.status().message());
    report->compare = std::move(c).value();
  }
  return report;
}

// The report of `survey` over [from, to]: stored totals, each row rebuilt as a tally with its
// registered version, labelled by locale and period as asked, scored by the core.
Result<Report> Server::Impl::RangeReport(const Catalog& cat, const Survey& latest, int64_t from,
                                         int64_t to, std::optional<Period> by, Calendar calendar,
                                         bool by_locale, const ReportOptions& report_options) {
  Result<std::vector<TotalsRow>> rows =
      WithStore([&](Store& store) { return store.Totals(latest.id, from, to); });
  if (!rows.ok()) {
    env.log("report totals failed: " + rows.status().message());
    return rows.status();
  }
  std::vector<ReportCellInput> cells;
  for (const TotalsRow& row : *rows) {
    const RegisteredSurvey* def = cat.Find(row.key.survey, row.key.version);
    if (def == nullptr) {
      env.log("report: totals of unregistered version " + row.key.version + " of " + latest.id);
      continue;
    }
    Result<Tally> tally = TallyFromCounters(def->survey, row.counters);
    if (!tally.ok()) {
      env.log("report: " + tally.status().message());
      continue;
    }
    ReportCellInput cell;
    cell.segment = by_locale ? row.key.locale : "";
    cell.period = by ? PeriodLabel(row.key.day, *by, calendar) : "";
    cell.tally = std::move(tally).value();
    cell.version = row.key.version;
    cells.push_back(std::move(cell));
  }
  if (cells.empty()) cells.push_back(ReportCellInput{"", "", EmptyTallyOf(latest)});
  Report report = ComputeReport(latest.id, FormatDay(from), FormatDay(to), cells, report_options);
  report.from_label = FormatDayIn(from, calendar);
  report.to_label = FormatDayIn(to, calendar);
  return report;
}

void Server::Impl::HandleComments(const httplib::Request& req, httplib::Response& res) {
  const std::string survey = req.get_param_value("survey");
  if (!Permit(req, res, Route::kComments, survey, nullptr)) return;
  if (survey.empty()) return Fail(res, 400, "survey: required");
  if (Snapshot()->Latest(survey) == nullptr) {
    return Fail(res, 404, "survey: \"" + survey + "\" is not registered");
  }
  // Comments end yesterday at the latest (core LastCommentDay): a comment appearing the moment
  // a known visitor answers would name its writer. A range is cut to that day ("to" says so).
  Calendar calendar = Calendar::kGregorian;
  if (!CalendarParam(req, res, &calendar)) return;
  int64_t from = 0, to = 0;
  if (!Range(req, res, LastCommentDay(env.today()), calendar, &from, &to)) return;
  int min_count = 0;
  if (!MinCount(req, res, &min_count)) return;
  const std::string query = req.get_param_value("q");
  if (query.size() > kMaxQueryBytes) {
    return Fail(res, 400, "q: at most " + std::to_string(kMaxQueryBytes) + " bytes");
  }
  Result<std::vector<StoredComment>> comments =
      from > to ? Result<std::vector<StoredComment>>(std::vector<StoredComment>())
                : WithStore([&](Store& store) { return store.Comments(survey, from, to); });
  if (!comments.ok()) {
    env.log("comments failed: " + comments.status().message());
    return FailStore(res);
  }
  // The comment minimum per (question, group) cell (core ShownComments): a cell with fewer
  // comments is withheld whole. Sorted, so storage order (arrival) is not exposed.
  std::vector<CommentCell> cells;
  cells.reserve(comments->size());
  for (const StoredComment& c : *comments) cells.push_back({c.question, c.group});
  const std::vector<bool> shown = ShownComments(cells, min_count);
  std::vector<const StoredComment*> list;
  for (size_t i = 0; i < comments->size(); ++i) {
    if (shown[i]) list.push_back(&(*comments)[i]);
  }
  std::sort(list.begin(), list.end(), [](const StoredComment* a, const StoredComment* b) {
    return std::tie(a->group, a->question, a->text) < std::tie(b->group, b->question, b->text);
  });
  // The search (core MatchesQuery) runs over the comments already shown, and the terms over
  // what it returns, so neither reaches a withheld cell.
  Json out = Json::array();
  std::vector<GroupedText> texts;
  for (const StoredComment* c : list) {
    if (!MatchesQuery(c->text, query)) continue;
    out.push_back({{"question", c->question}, {"group", c->group}, {"text", c->text}});
    texts.push_back({c->group, c->text});
  }
  // Every NPS group has its list, empty or not, so a page can say "no frequent terms".
  std::map<std::string, std::vector<TermCount>> terms = TermsByGroup(texts, kTermsPerGroup);
  for (const char* group : {"promoter", "passive", "detractor"})
    terms.emplace(group, std::vector<TermCount>());
  SetJson(res, 200,
          Json{{"survey", survey},
               {"from", FormatDay(from)},
               {"to", FormatDay(to)},
               {"min_count", CommentMinimum(min_count)},
               {"suppressed", list.size() < comments->size()},
               {"comments", std::move(out)},
               {"terms", TermsToJson(terms)}});
}

// GET /analyze and /analyze/*: the analyze page's files from --web-dir's analyze/ folder,
// under the strict CSP; its service worker may control /analyze/ and nothing else.
void Server::Impl::HandlePage(const httplib::Request& req, httplib::Response& res) {
  if (options.web_dir.empty()) {
    return Fail(res, 404, "the analyze page is not served: start with --web-dir DIR (web/dist)");
  }
  if (req.path == "/analyze") {  // relative URLs of the page need the slash; the query stays
    const size_t query = req.target.find('?');
    res.status = 301;
    res.set_header("Location",
                   "/analyze/" + (query == std::string::npos ? "" : req.target.substr(query)));
    return;
  }
  std::string rel = req.path.substr(std::strlen("/analyze/"));
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  ServePageFile("analyze", rel, "no-cache", "no-referrer", res);
  if (res.status == 200) res.set_header("Service-Worker-Allowed", "/analyze/");
}

// Answers the file `rel` of --web-dir's `folder` under the strict CSP with `cache_control`
// and `referrer_policy`; 404 for a path that is not a plain relative path, a type the pages
// do not have, or a missing file.
void Server::Impl::ServePageFile(const std::string& folder, const std::string& rel,
                                 const char* cache_control, const char* referrer_policy,
                                 httplib::Response& res) {
  const char* type = PageContentType(rel);
  const std::string file = options.web_dir + "/" + folder + "/" + rel;
  struct stat st;
  if (!IsPlainRelativePath(rel) || type == nullptr || ::stat(file.c_str(), &st) != 0 ||
      !S_ISREG(st.st_mode) || st.st_size > kMaxPageFileBytes) {
    return Fail(res, 404, "no such file");
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream body;
  body << in.rdbuf();
  if (!in) return Fail(res, 404, "no such file");
  res.status = 200;
  res.set_header("Content-Security-Policy", kPageCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", referrer_policy);
  res.set_header("Cache-Control", cache_control);
  res.set_content(body.str(), type);
}

void Server::Impl::HandleHealth(httplib::Response& res) {
  Status s = WithStore([](Store& store) { return store.Ping(); });
  if (!s.ok()) {
    res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
    return Fail(res, 503, "the store does not answer");
  }
  SetJson(res, 200, Json{{"ok", true}});
}

}  // namespace nazar::collector
