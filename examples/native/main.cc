// A native program using the Nazar core directly: validate a definition, run a few scripted
// sessions as a kiosk would, merge their aggregates and print the report. No browser involved.
//
//   nazar_native_example examples/native/post-checkout.json
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "nazar/aggregate.h"
#include "nazar/definition.h"
#include "nazar/platform_host.h"
#include "nazar/report.h"
#include "nazar/session.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DEFINITION.json\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  nazar::ParsedDefinitions parsed = nazar::ParseDefinitions(text.str());
  if (!parsed.ok()) {
    for (const auto& e : parsed.errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    return 1;
  }
  const nazar::Survey& survey = parsed.surveys.front();

  // Twelve respondents: each answers NPS and completes, or dismisses after the first question.
  // The platform host: the system clock and the cryptographic source (batch ids, local-DP noise).
  nazar::Host& host = nazar::PlatformHost();
  nazar::Tally total = nazar::Tally::For(survey);
  const int scores[] = {10, 9, 9, 8, 7, 10, 3, 6, 9, 10, 5, 9};
  for (int i = 0; i < 12; ++i) {
    nazar::Session session(survey, i % 3 == 0 ? "fa-IR" : "en", &host);
    while (session.state() == nazar::SessionState::kQuestion) {
      const nazar::Question& q = session.current_question();
      if (i % 5 == 4) {
        if (q.type == nazar::QuestionType::kNps) session.SelectValue(scores[i]);
        session.Dismiss();
        break;
      }
      if (q.type == nazar::QuestionType::kNps) session.SelectValue(scores[i]);
      else if (q.type == nazar::QuestionType::kChoice) session.ToggleChoice(q.options[i % 2].id);
      else if (q.type == nazar::QuestionType::kText) session.SetText("delivery was slow");
      else session.SelectValue(q.MaxValue() - i % 3);
      session.Next();
    }
    nazar::Payload payload = nazar::PayloadFromSession(
        session, "kiosk.example", nazar::NewBatchId(host), "2026-11-22", host);
    // Raw counts merge by addition (with local DP: the randomized reports; the report
    // estimates and widens from them).
    if (!total.Merge(payload.tally)) {
      std::fprintf(stderr, "payload %d does not match the survey's shape\n", i);
      return 1;
    }
    if (i == 0) std::printf("first payload: %s\n\n", nazar::PayloadToJson(payload).dump().c_str());
  }
  const nazar::Report report = nazar::ComputeReport(survey.id, "2026-11-22", "2026-11-22",
                                                   {nazar::ReportCellInput{"", "", total}}, {});
  std::printf("%s\n", nazar::ReportToText(report).c_str());
  // The example doubles as a test: the report must count every display.
  return !report.overall.suppressed && report.overall.displays == 12 ? 0 : 1;
}
