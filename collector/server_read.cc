// The collector's read routes: GET /v1/report, GET /v1/comments, the pages under /analyze and
// GET /healthz (Contracts 4 and 5).
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

namespace nazar::collector {
namespace {

constexpr int kDefaultReportDays = 30;  // Contract 4: the last 30 whole days

// The strict policy of DESIGN.md's non-negotiables, for the pages the collector serves.
constexpr char kPageCsp[] =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'";
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

// from/to of a read request: the last 30 whole days by default; `to` at most `last_day`.
// False answered 400.
bool Server::Impl::Range(const httplib::Request& req, httplib::Response& res, int64_t last_day,
                         int64_t* from, int64_t* to) {
  const int64_t today = env.today();
  *to = today - 1;
  *from = today - kDefaultReportDays;
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
  if (*to > last_day) {
    Fail(res, 400,
         "to: at most " + FormatDay(last_day) + (last_day < today ? " (yesterday)" : " (today)"));
    return false;
  }
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
  if (!Authorized(req, res, false)) return;
  ReportQuery query;
  if (!ParseReportQuery(req, res, &query)) return;
  Result<Report> report = QueryReport(query);
  if (!report.ok()) {
    res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
    return Fail(res, 503, "the store is unavailable");
  }
  SetJson(res, 200, ReportToJson(*report));
}

// The parameters of a report request (GET /v1/report, GET /v1/stream). False answered 400 (the
// parameter named) or 404 (a survey that is not registered).
bool Server::Impl::ParseReportQuery(const httplib::Request& req, httplib::Response& res,
                                    ReportQuery* query) {
  query->survey = req.get_param_value("survey");
  if (query->survey.empty()) {
    Fail(res, 400, "survey: required");
    return false;
  }
  if (Snapshot()->Latest(query->survey) == nullptr) {
    Fail(res, 404, "survey: \"" + query->survey + "\" is not registered");
    return false;
  }
  // A report may end today: it then moves with each answer, which a reader polling it can
  // difference (a privacy limit the collector's README states; live views are the dashboard's
  // stream, which steps by the minimum count).
  if (!Range(req, res, env.today(), &query->from, &query->to)) return false;
  if (req.has_param("by")) {
    Result<Period> period = ParsePeriod(req.get_param_value("by"));
    if (!period.ok()) {
      Fail(res, 400, "by: " + period.status().message());
      return false;
    }
    query->by = *period;
  }
  if (req.has_param("calendar")) {
    Result<Calendar> c = ParseCalendar(req.get_param_value("calendar"));
    if (!c.ok()) {
      Fail(res, 400, "calendar: " + c.status().message());
      return false;
    }
    query->calendar = *c;
  }
  if (req.has_param("compare")) {
    Result<DayRange> range = ParseDayRange(req.get_param_value("compare"));
    if (!range.ok()) {
      Fail(res, 400, "compare: " + range.status().message());
      return false;
    }
    if (range->to > env.today()) {
      Fail(res, 400, "compare: ends at most " + FormatDay(env.today()) + " (today)");
      return false;
    }
    query->baseline = *range;
  }
  if (req.has_param("segment")) {
    if (req.get_param_value("segment") != "locale") {
      Fail(res, 400, "segment: expected locale, got \"" + req.get_param_value("segment") + "\"");
      return false;
    }
    query->by_locale = true;
  }
  return MinCount(req, res, &query->report_options.min_count);
}

// The report `query` asks for over the totals stored now, with its comparison. An error when the
// store is unavailable (logged) or the survey is no longer registered.
Result<Report> Server::Impl::QueryReport(const ReportQuery& query) {
  std::shared_ptr<const Catalog> cat = Snapshot();
  const RegisteredSurvey* latest = cat->Latest(query.survey);
  if (latest == nullptr) {
    return Status(StatusCode::kNotFound, "survey " + query.survey + " is not registered");
  }
  Result<Report> report = RangeReport(*cat, latest->survey, query.from, query.to, query.by,
                                      query.calendar, query.by_locale, query.report_options);
  if (!report.ok() || !query.baseline) return report;
  // The core's comparison of the overall cells: the baseline range against this one.
  Result<Report> before =
      RangeReport(*cat, latest->survey, query.baseline->from, query.baseline->to, std::nullopt,
                  query.calendar, false, query.report_options);
  if (!before.ok()) return before.status();
  report->compare = CompareReports(*before, *report);
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
    cells.push_back(std::move(cell));
  }
  if (cells.empty()) cells.push_back(ReportCellInput{"", "", EmptyTallyOf(latest)});
  return ComputeReport(latest.id, FormatDay(from), FormatDay(to), cells, report_options);
}

void Server::Impl::HandleComments(const httplib::Request& req, httplib::Response& res) {
  if (!Authorized(req, res, false)) return;
  const std::string survey = req.get_param_value("survey");
  if (survey.empty()) return Fail(res, 400, "survey: required");
  if (Snapshot()->Latest(survey) == nullptr) {
    return Fail(res, 404, "survey: \"" + survey + "\" is not registered");
  }
  // Comments end yesterday at the latest: a comment appearing the moment a known visitor
  // answers would name its writer.
  int64_t from = 0, to = 0;
  if (!Range(req, res, env.today() - 1, &from, &to)) return;
  int min_count = 0;
  if (!MinCount(req, res, &min_count)) return;
  Result<std::vector<StoredComment>> comments =
      WithStore([&](Store& store) { return store.Comments(survey, from, to); });
  if (!comments.ok()) {
    env.log("comments failed: " + comments.status().message());
    res.set_header("Retry-After", std::to_string(kStoreRetryAfterSeconds));
    return Fail(res, 503, "the store is unavailable");
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
  Json out = Json::array();
  for (const StoredComment* c : list) {
    out.push_back({{"question", c->question}, {"group", c->group}, {"text", c->text}});
  }
  SetJson(res, 200,
          Json{{"survey", survey},
               {"from", FormatDay(from)},
               {"to", FormatDay(to)},
               {"min_count", CommentMinimum(min_count)},
               {"suppressed", list.size() < comments->size()},
               {"comments", std::move(out)}});
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
  const char* type = PageContentType(rel);
  const std::string file = options.web_dir + "/analyze/" + rel;
  struct stat st;
  if (!IsPlainRelativePath(rel) || type == nullptr || ::stat(file.c_str(), &st) != 0 ||
      !S_ISREG(st.st_mode) || st.st_size > kMaxPageFileBytes) {
    return Fail(res, 404, "no such file");
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream body;
  body << in.rdbuf();
  if (!in) return Fail(res, 404, "no such file");
  res.set_header("Content-Security-Policy", kPageCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-cache");
  res.set_header("Service-Worker-Allowed", "/analyze/");
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
