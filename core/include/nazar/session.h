// The survey session state machine: which step is showing, the answers so far, show_if
// branching, back, skip, completion and dismissal. Pure state; rendering is in view.h.
#ifndef NAZAR_SESSION_H_
#define NAZAR_SESSION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nazar/definition.h"
#include "nazar/host.h"
#include "nazar/result.h"

namespace nazar {

// One answer. Scale questions use `value`; choice questions `choices` (option ids, in option
// order); text questions `text`.
struct Answer {
  bool answered = false;
  int value = 0;
  std::vector<std::string> choices;
  std::string text;
};

// Whether a choice answer has its "other" option chosen: its text field shows, and only then
// may its text leave (as a comment).
bool ChoseOther(const Answer& a);

enum class SessionState { kQuestion, kCompleted, kDismissed };

class Session {
 public:
  // `locale` is the requested tag; the session resolves it against the survey's locales.
  Session(Survey survey, std::string locale, Host* host);

  const Survey& survey() const { return survey_; }
  SessionState state() const { return state_; }
  // Resolved locale lookup chain (first entry is the locale in use).
  const std::vector<std::string>& locale_chain() const { return locale_chain_; }
  const std::string& locale() const { return locale_chain_.front(); }
  int64_t started_ms() const { return started_ms_; }

  // Index of the question showing (valid in kQuestion).
  int current() const { return current_; }
  const Question& current_question() const { return survey_.questions[current_]; }
  // The answer being edited on question `index` (what the view shows as selected or typed). Not
  // what counts: a selection never submitted with Next is a skip (see submitted()).
  const Answer& answer(int index) const { return answers_[index]; }
  // The answer last submitted on question `index` with Next (Skip submits no answer; Back keeps
  // it). Only submitted answers are counted or leave the page (aggregate.h).
  const Answer& submitted(int index) const { return submitted_[index]; }
  // Whether the question at `index` was shown to the respondent (reached, not skipped by show_if).
  bool seen(int index) const { return seen_[index]; }

  // 1-based position of the current question among the questions that can still show, and
  // their count (for "Question 2 of 4"); the count changes as branching resolves.
  int Position() const;
  int VisibleCount() const;
  bool CanGoBack() const { return !history_.empty(); }
  bool IsLastQuestion() const;

  // Whether `index` shows given the answers being edited (show_if): drives navigation.
  bool IsVisible(int index) const;
  // Whether `index` shows given the submitted answers only: what the payload counts.
  bool IsVisibleSubmitted(int index) const;

  // Sets the current scale answer. kOutOfRange when outside the question's scale.
  Status SelectValue(int value);
  // Selects a choice option: replaces the answer (single) or toggles it (multiple).
  Status ToggleChoice(const std::string& option_id);
  // Sets the current text answer (a text question's, or the text of a choice question's
  // "other"), truncated to max_length code points.
  Status SetText(std::string text);
  // Moves on. kFailedPrecondition when the current question is required and unanswered.
  // Completes the session after the last visible question.
  Status Next();
  // Clears the current answer (optional questions only) and moves on.
  Status Skip();
  // Returns to the previous shown question.
  Status Back();
  // The respondent closed the survey.
  Status Dismiss();
  // Starts again at the first question with no answers, as a new session of the same survey
  // would (kiosk mode's next round), without copying the survey.
  void Restart();
  // Resolves `locale` (a requested tag) against the survey's locales again, as the constructor
  // does; answers and position are kept. For nazar.setLocale() on an open survey.
  void SetLocale(const std::string& locale);

 private:
  int NextVisibleFrom(int index) const;  // first visible index >= index, or -1
  bool VisibleGiven(int index, const std::vector<Answer>& answers) const;
  void Advance();

  Survey survey_;
  Host* host_;
  std::vector<std::string> locale_chain_;
  SessionState state_ = SessionState::kQuestion;
  int current_ = 0;
  std::vector<Answer> answers_;    // being edited
  std::vector<Answer> submitted_;  // last submitted with Next (empty Answer: none)
  std::vector<char> seen_;  // not vector<bool>: its bit proxies cost 2 KB of wasm
  std::vector<int> history_;
  int64_t started_ms_ = 0;
};

}  // namespace nazar

#endif  // NAZAR_SESSION_H_
