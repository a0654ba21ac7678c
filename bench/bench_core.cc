// Core micro-benchmarks. Reproduce: cmake --preset native-release &&
// cmake --build --preset native-release --target nazar_bench &&
// build/native-release/bench/nazar_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fake_host.h"
#include "nazar/aggregate.h"
#include "nazar/definition.h"
#include "nazar/import.h"
#include "nazar/report.h"
#include "nazar/session.h"
#include "nazar/stats.h"
#include "nazar/view.h"
#include "response_gen.h"

namespace nazar::bench {
namespace {

// The DESIGN.md example definition (Contract 1), from the test fixtures.
const std::string& PostCheckoutText() {
  static const std::string text = [] {
    std::ifstream in(NAZAR_POST_CHECKOUT_JSON, std::ios::binary);
    if (!in) std::abort();
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }();
  return text;
}

Survey PostCheckout() {
  ParsedDefinitions parsed = ParseDefinitions(PostCheckoutText());
  if (!parsed.ok() || parsed.surveys.empty()) std::abort();
  return parsed.surveys.front();
}

// Parse + validate the example definition.
void BM_ParseValidate(benchmark::State& state) {
  for (auto _ : state) {
    ParsedDefinitions parsed = ParseDefinitions(PostCheckoutText());
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(PostCheckoutText().size()));
}
BENCHMARK(BM_ParseValidate);

// One respondent end to end: create the session, render every step (as the widget does after
// each answer), answer every question (nps 3 so the follow-up shows), complete, build the
// aggregate payload.
void BM_FullSession(benchmark::State& state) {
  const Survey survey = PostCheckout();
  FakeHost host(1795000000000, 7);
  int64_t nodes = 0;
  for (auto _ : state) {
    Session session(survey, "fa-IR", &host);
    while (session.state() == SessionState::kQuestion) {
      const Node view = Render(session);
      nodes += static_cast<int64_t>(view.children.size());
      const Question& q = session.current_question();
      switch (q.type) {
        case QuestionType::kNps:
          session.SelectValue(3);
          break;
        case QuestionType::kText:
          session.SetText("delivery was late");
          break;
        case QuestionType::kChoice:
          session.ToggleChoice(q.options.front().id);
          break;
        default:
          session.SelectValue(q.MaxValue());
          break;
      }
      if (!session.Next().ok()) std::abort();
    }
    const Node thanks = Render(session);
    benchmark::DoNotOptimize(thanks);
    Payload payload =
        PayloadFromSession(session, "shop.example", NewBatchId(host), "2026-11-22", host);
    benchmark::DoNotOptimize(payload);
  }
  benchmark::DoNotOptimize(nodes);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FullSession);

// Score 1,000,000 in-memory responses: build the NPS/CSAT/CES tallies, then score them.
void BM_ScoreMillion(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<Response> responses;
  responses.reserve(static_cast<size_t>(n));
  SplitMix64 rng(20261122);
  for (int64_t i = 0; i < n; ++i) responses.push_back(NextResponse(rng));
  Survey survey;
  survey.id = "responses";
  for (auto [id, type, scale] :
       {std::tuple{"nps", QuestionType::kNps, 11}, std::tuple{"csat", QuestionType::kCsat, 5},
        std::tuple{"ces", QuestionType::kCes, 7}}) {
    Question q;
    q.id = id;
    q.type = type;
    q.scale = scale;
    survey.questions.push_back(q);
  }
  for (auto _ : state) {
    Tally tally = Tally::For(survey);
    std::vector<double>& nps = tally.questions[0].counts;
    std::vector<double>& csat = tally.questions[1].counts;
    std::vector<double>& ces = tally.questions[2].counts;
    for (const Response& r : responses) {
      nps[r.nps] += 1;
      if (r.csat > 0) csat[r.csat - 1] += 1;
      if (r.ces > 0) ces[r.ces - 1] += 1;
    }
    tally.displays = tally.completions = static_cast<double>(n);
    const NpsScore s1 = ScoreNps(nps);
    const CsatScore s2 = ScoreCsat(csat, 5, {});
    const CesScore s3 = ScoreCes(ces, 7);
    benchmark::DoNotOptimize(s1);
    benchmark::DoNotOptimize(s2);
    benchmark::DoNotOptimize(s3);
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ScoreMillion)->Arg(1000000)->Unit(benchmark::kMillisecond);

std::string MakeInput(int64_t rows, bool ndjson) {
  SplitMix64 rng(20261122);
  std::string out = ndjson ? "" : kCsvHeader;
  out.reserve(static_cast<size_t>(rows) * (ndjson ? 80 : 28));
  for (int64_t i = 0; i < rows; ++i) {
    const Response r = NextResponse(rng);
    if (ndjson) {
      AppendNdjsonRow(r, &out);
    } else {
      AppendCsvRow(r, &out);
    }
  }
  return out;
}

// The importer over an in-memory export fed in 64 KiB chunks, as the CLI reads files; then the
// report. Args: rows, segmented (--by channel --period week) or not.
void RunImport(benchmark::State& state, ImportFormat format) {
  const int64_t rows = state.range(0);
  const bool segmented = state.range(1) != 0;
  const std::string input = MakeInput(rows, format == ImportFormat::kNdjson);
  constexpr size_t kChunk = 64 * 1024;
  for (auto _ : state) {
    ImportOptions options;
    options.format = format;
    if (segmented) {
      options.by = "channel";
      options.period = Period::kWeek;
    }
    ResponseImporter importer(options);
    for (size_t at = 0; at < input.size(); at += kChunk) {
      importer.Feed(std::string_view(input).substr(at, kChunk));
    }
    importer.Finish();
    Json report = BuildReport(importer.SurveyId(), importer.summary().from, importer.summary().to,
                              importer.Cells(), ReportOptions());
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
}

void BM_ImportCsv(benchmark::State& state) { RunImport(state, ImportFormat::kCsv); }
BENCHMARK(BM_ImportCsv)
    ->Args({1000000, 0})
    ->Args({1000000, 1})
    ->ArgNames({"rows", "by_channel_week"})
    ->Unit(benchmark::kMillisecond);

// Issue 7's export (nazar_gen_responses N --issue): quoted comments with commas and doubled
// quotes, four locales. Args: rows, 0 = overall or 1 = --by locale --period month (the analyze
// page's scoring). The same loop as RunImport: 64 KiB chunks, then the report.
void BM_ImportIssueCsv(benchmark::State& state) {
  const int64_t rows = state.range(0);
  const bool segmented = state.range(1) != 0;
  SplitMix64 rng(20261122);
  std::string input = kIssueCsvHeader;
  input.reserve(static_cast<size_t>(rows) * 24);
  for (int64_t i = 0; i < rows; ++i) AppendIssueCsvRow(NextIssueResponse(rng), &input);
  constexpr size_t kChunk = 64 * 1024;
  for (auto _ : state) {
    ImportOptions options;
    if (segmented) {
      options.by = "locale";
      options.period = Period::kMonth;
    }
    ResponseImporter importer(options);
    for (size_t at = 0; at < input.size(); at += kChunk) {
      importer.Feed(std::string_view(input).substr(at, kChunk));
    }
    importer.Finish();
    Json report = BuildReport(importer.SurveyId(), importer.summary().from, importer.summary().to,
                              importer.Cells(), ReportOptions());
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
}
BENCHMARK(BM_ImportIssueCsv)
    ->Args({1000000, 0})
    ->Args({1000000, 1})
    ->ArgNames({"rows", "by_locale_month"})
    ->Unit(benchmark::kMillisecond);

void BM_ImportNdjson(benchmark::State& state) { RunImport(state, ImportFormat::kNdjson); }
BENCHMARK(BM_ImportNdjson)
    ->Args({1000000, 0})
    ->ArgNames({"rows", "by_channel_week"})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nazar::bench

BENCHMARK_MAIN();
