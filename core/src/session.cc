#include "nazar/session.h"

#include <algorithm>
#include <utility>

#include "nazar/i18n.h"
#include "text_util.h"

namespace nazar {

Session::Session(Survey survey, std::string locale, Host* host)
    : survey_(std::move(survey)), host_(host) {
  SetLocale(locale);
  Restart();
}

void Session::Restart() {
  state_ = SessionState::kQuestion;
  answers_ = std::vector<Answer>(survey_.questions.size());
  submitted_ = std::vector<Answer>(survey_.questions.size());
  seen_.assign(survey_.questions.size(), 0);
  history_.clear();
  started_ms_ = host_->NowMs();
  current_ = NextVisibleFrom(0);
  if (current_ < 0) {
    // A validated survey always shows its first question; an empty one completes at once.
    current_ = 0;
    state_ = SessionState::kCompleted;
    return;
  }
  seen_[current_] = 1;
}

void Session::SetLocale(const std::string& locale) {
  locale_chain_ = LocaleChain(locale, survey_.Locales(), survey_.default_locale);
  if (locale_chain_.empty()) locale_chain_.push_back(survey_.default_locale);
}

bool Session::IsVisible(int index) const { return VisibleGiven(index, answers_); }

bool Session::IsVisibleSubmitted(int index) const { return VisibleGiven(index, submitted_); }

bool Session::VisibleGiven(int index, const std::vector<Answer>& answers) const {
  const Question& q = survey_.questions[index];
  if (!q.show_if) return true;
  const ShowIf& cond = *q.show_if;
  const int ref = survey_.QuestionIndex(cond.question);
  // Conditions point at earlier questions (validation); anything else hides the question.
  if (ref < 0 || ref >= index || !VisibleGiven(ref, answers)) return false;
  const Answer& a = answers[ref];
  if (!a.answered) return false;
  const Question& rq = survey_.questions[ref];
  if (rq.IsScale()) {
    if (cond.min && a.value < *cond.min) return false;
    if (cond.max && a.value > *cond.max) return false;
  }
  if (!cond.any_of.empty()) {
    return std::any_of(a.choices.begin(), a.choices.end(), [&](const std::string& c) {
      return std::find(cond.any_of.begin(), cond.any_of.end(), c) != cond.any_of.end();
    });
  }
  return true;
}

int Session::NextVisibleFrom(int index) const {
  for (int i = index; i < static_cast<int>(survey_.questions.size()); ++i) {
    if (IsVisible(i)) return i;
  }
  return -1;
}

int Session::Position() const {
  int position = 0;
  for (int i = 0; i <= current_; ++i) position += IsVisible(i) ? 1 : 0;
  return position;
}

int Session::VisibleCount() const {
  // Questions after the current one whose condition depends on answers not given yet count as
  // showing; the total settles as the respondent answers.
  int count = Position();
  for (int i = current_ + 1; i < static_cast<int>(survey_.questions.size()); ++i) {
    const Question& q = survey_.questions[i];
    const int ref = q.show_if ? survey_.QuestionIndex(q.show_if->question) : -1;
    count += (IsVisible(i) || ref >= current_) ? 1 : 0;
  }
  return count;
}

bool Session::IsLastQuestion() const { return NextVisibleFrom(current_ + 1) < 0; }

Status Session::SelectValue(int value) {
  if (state_ != SessionState::kQuestion) return {StatusCode::kFailedPrecondition, "survey ended"};
  const Question& q = current_question();
  if (!q.IsScale()) {
    return {StatusCode::kInvalidArgument, "question \"" + q.id + "\" does not take a scale value"};
  }
  if (value < q.MinValue() || value > q.MaxValue()) {
    return {StatusCode::kOutOfRange, std::to_string(value) + " is outside " +
                                         std::to_string(q.MinValue()) + ".." +
                                         std::to_string(q.MaxValue())};
  }
  Answer& a = answers_[current_];
  a.answered = true;
  a.value = value;
  return Status::Ok();
}

bool ChoseOther(const Answer& a) {
  return std::find(a.choices.begin(), a.choices.end(), kOtherOptionId) != a.choices.end();
}

Status Session::ToggleChoice(const std::string& option_id) {
  if (state_ != SessionState::kQuestion) return {StatusCode::kFailedPrecondition, "survey ended"};
  const Question& q = current_question();
  if (q.type != QuestionType::kChoice) {
    return {StatusCode::kInvalidArgument, "question \"" + q.id + "\" has no options"};
  }
  const auto known = std::find_if(q.options.begin(), q.options.end(),
                                  [&](const ChoiceOption& o) { return o.id == option_id; });
  if (known == q.options.end()) {
    return {StatusCode::kNotFound, "question \"" + q.id + "\" has no option \"" + option_id + "\""};
  }
  Answer& a = answers_[current_];
  const bool was_chosen =
      std::find(a.choices.begin(), a.choices.end(), option_id) != a.choices.end();
  std::vector<std::string> chosen;
  for (const ChoiceOption& o : q.options) {
    const bool pick =
        o.id == option_id
            ? (q.multiple ? !was_chosen : true)
            : (q.multiple &&
               std::find(a.choices.begin(), a.choices.end(), o.id) != a.choices.end());
    if (pick) chosen.push_back(o.id);
  }
  a.choices = std::move(chosen);
  a.answered = !a.choices.empty();
  return Status::Ok();
}

Status Session::SetText(std::string text) {
  if (state_ != SessionState::kQuestion) return {StatusCode::kFailedPrecondition, "survey ended"};
  const Question& q = current_question();
  if (!q.TakesText()) {
    return {StatusCode::kInvalidArgument, "question \"" + q.id + "\" does not take text"};
  }
  Answer& a = answers_[current_];
  a.text = Utf8Truncate(text, static_cast<size_t>(q.max_length));
  // A choice question is answered by its options; the text only goes with "other" chosen.
  if (q.type == QuestionType::kText) a.answered = !text::SaysNothing(a.text);
  return Status::Ok();
}

void Session::Advance() {
  history_.push_back(current_);
  const int next = NextVisibleFrom(current_ + 1);
  if (next < 0) {
    state_ = SessionState::kCompleted;
    return;
  }
  current_ = next;
  seen_[current_] = 1;
}

Status Session::Next() {
  if (state_ != SessionState::kQuestion) return {StatusCode::kFailedPrecondition, "survey ended"};
  const Question& q = current_question();
  if (q.required && !answers_[current_].answered) {
    return {StatusCode::kFailedPrecondition, "question \"" + q.id + "\" needs an answer"};
  }
  submitted_[current_] = answers_[current_].answered ? answers_[current_] : Answer();
  Advance();
  return Status::Ok();
}

Status Session::Skip() {
  if (state_ != SessionState::kQuestion) return {StatusCode::kFailedPrecondition, "survey ended"};
  const Question& q = current_question();
  if (q.required) {
    return {StatusCode::kFailedPrecondition, "question \"" + q.id + "\" cannot be skipped"};
  }
  answers_[current_] = Answer();
  submitted_[current_] = Answer();
  Advance();
  return Status::Ok();
}

Status Session::Back() {
  if (state_ != SessionState::kQuestion) return {StatusCode::kFailedPrecondition, "survey ended"};
  if (history_.empty()) return {StatusCode::kFailedPrecondition, "already at the first question"};
  current_ = history_.back();
  history_.pop_back();
  return Status::Ok();
}

Status Session::Dismiss() {
  if (state_ != SessionState::kQuestion) return {StatusCode::kFailedPrecondition, "survey ended"};
  state_ = SessionState::kDismissed;
  return Status::Ok();
}

}  // namespace nazar
