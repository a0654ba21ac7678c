#include "nazar/widget.h"

#include <optional>
#include <utility>

#include "nazar/date.h"
#include "nazar/i18n.h"
#include "nazar/view.h"

namespace nazar {
namespace {

// A data-nz-value arrives as a string (from an attribute) or a number (from the JS API).
bool ParseInt(const Json& value, int* out) {
  if (value.is_number_integer()) {
    int64_t v = 0;
    if (!JsonIntInRange(value, -1000000, 1000000, &v)) return false;
    *out = static_cast<int>(v);
    return true;
  }
  if (!value.is_string()) return false;
  const std::string s = NormalizeDigits(value.get<std::string>());
  if (s.empty() || s.size() > 7) return false;
  int v = 0;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = s[0] == '-' ? -v : v;
  return true;
}

// The effect of a session's comments: under their own batch id, after the tally of batch
// `after`, which web/ must hold before it sends them (Contract 3: a comment is never joined to a
// score).
Json CommentsEffect(const std::string& batch, const std::string& after, const Payload& comments) {
  return JsonObject({{"type", "comments"},
                     {"batch", batch},
                     {"after", after},
                     {"payload", PayloadToJson(comments)}});
}

}  // namespace

Widget::Widget(Survey survey, WidgetConfig config, Host* host, EmbedOptions embed)
    : session_(std::move(survey), config.locale, host),
      config_(std::move(config)),
      embed_(std::move(embed)),
      host_(host) {
  batch_ = NewBatchId(*host_);
  view_state_.placement = embed_.placement;
}

std::string Widget::Period() const {
  return FormatDay(LocalDay(host_->NowMs(), config_.utc_offset_minutes));
}

Json Widget::Event(const char* type) const {
  return JsonObject({{"type", type}, {"survey", session_.survey().id}});
}

Json Widget::PayloadJson() {
  // Local-DP noise draws from the host (the platform's cryptographic source). Each snapshot
  // randomizes afresh; web/ freezes a payload from its first send, so only one is ever seen.
  if (period_.empty()) period_ = Period();  // the day of the first payload: the display's
  return PayloadToJson(PayloadFromSession(session_, config_.site, batch_, period_, *host_));
}

Json Widget::Start() {
  Outcome out;
  out.handled = false;
  out.events.push_back(Event("show"));
  const bool modal = ResolvePlacement(session_.survey().appearance.position, session_.locale(),
                                      embed_.placement) == kPlacementCenter;
  if (modal || embed_.user_activated) out.focus = InitialFocusId(session_);
  return Update(std::move(out));
}

Json Widget::Update(Outcome out) {
  Json effects = std::move(out.effects);
  const bool ended = session_.state() != SessionState::kQuestion;
  if (embed_.kiosk) {
    KioskRound(&out);
    for (Json& e : out.effects) effects.push_back(std::move(e));
    view_state_.kiosk_unsent = unsent_elsewhere_ + rounds_;
  } else if (out.persist && !sent_) {
    if (ended) {
      effects.push_back(
          JsonObject({{"type", "send"}, {"batch", batch_}, {"payload", PayloadJson()}}));
      // Submitted comments travel apart, under their own batch id, on a later flush than the
      // tally (web/ holds them back): the collector cannot join a comment to a score.
      const std::string comments_batch = NewBatchId(*host_);
      if (std::optional<Payload> comments =
              CommentsFromSession(session_, config_.site, comments_batch, period_)) {
        effects.push_back(CommentsEffect(comments_batch, batch_, *comments));
      }
      sent_ = true;
    } else {
      effects.push_back(JsonObject({{"type", "store"},
                                    {"batch", batch_},
                                    {"send_after_ms", kAbandonAfterMs},
                                    {"payload", PayloadJson()}}));
    }
  }
  if (out.close && !embed_.kiosk) effects.push_back(JsonObject({{"type", "close"}}));
  Json update = JsonObject({{"view", ToJson(Render(session_, view_state_))},
                            {"focus", out.focus.empty() ? Json(nullptr) : Json(out.focus)},
                            {"handled", out.handled},
                            {"effects", std::move(effects)},
                            {"events", std::move(out.events)}});
  if (embed_.kiosk) {
    const int64_t wake = KioskWakeMs(*embed_.kiosk, host_->NowMs(), completed_ms_, last_input_ms_,
                                     rounds_, first_round_ms_);
    update["wake_ms"] = wake < 0 ? Json(nullptr) : Json(wake);
  }
  return update;
}

void Widget::KioskRound(Outcome* out) {
  out->effects = Json::array();
  if (session_.state() == SessionState::kDismissed || (out->close && completed_ms_ >= 0)) {
    // Nothing of a dismissed round counts; the next person starts at the first question (a
    // closed thank-you, too).
    KioskRestart(out);
    return;
  }
  if (session_.state() != SessionState::kCompleted || completed_ms_ >= 0) return;
  const int64_t now = host_->NowMs();
  completed_ms_ = now;
  last_input_ms_ = -1;
  const std::string period = Period();
  // A batch is one survey, version, day and locale (Contract 3): another day or locale starts
  // another batch.
  if (rounds_ > 0 && (kiosk_batch_.period != period || kiosk_batch_.locale != session_.locale())) {
    KioskSend(out);
  }
  Payload round = PayloadFromSession(session_, config_.site, batch_, period, *host_);
  if (rounds_ == 0) {
    kiosk_batch_ = std::move(round);
    first_round_ms_ = now;
  } else {
    kiosk_batch_.tally.Merge(round.tally);
  }
  ++rounds_;
  const std::string tally_batch = batch_;
  const std::string comments_batch = NewBatchId(*host_);
  std::optional<Payload> comments =
      CommentsFromSession(session_, config_.site, comments_batch, period);
  // The tally first: web/ keeps comments back only while their tally is in the outbox, so the
  // round's tally must be stored before its comments are (a comment stored first could leave at
  // once, before any tally, and next to it in time).
  if (KioskBatchDue(*embed_.kiosk, rounds_, first_round_ms_, now)) {
    KioskSend(out);
  } else {
    out->effects.push_back(JsonObject({{"type", "store"},
                                       {"batch", batch_},
                                       {"send_after_ms", embed_.kiosk->interval_ms},
                                       {"payload", PayloadToJson(kiosk_batch_)}}));
  }
  if (comments) out->effects.push_back(CommentsEffect(comments_batch, tally_batch, *comments));
}

void Widget::KioskSend(Outcome* out) {
  if (rounds_ == 0) return;
  out->effects.push_back(
      JsonObject({{"type", "send"}, {"batch", batch_}, {"payload", PayloadToJson(kiosk_batch_)}}));
  unsent_elsewhere_ += rounds_;  // in the outbox now, until the next "outbox" event
  rounds_ = 0;
  first_round_ms_ = -1;
  batch_ = NewBatchId(*host_);
}

void Widget::KioskRestart(Outcome* out) {
  session_.SetLocale(config_.locale);
  session_.Restart();
  view_state_.needs_answer = false;  // placement stays: it is the embedding's
  completed_ms_ = -1;
  last_input_ms_ = -1;
  out->events.push_back(Event("show"));
}

void Widget::KioskTick(Outcome* out) {
  const int64_t now = host_->NowMs();
  const KioskOptions& k = *embed_.kiosk;
  if ((completed_ms_ >= 0 && now >= completed_ms_ + k.thank_you_ms) ||
      (completed_ms_ < 0 && last_input_ms_ >= 0 && now >= last_input_ms_ + k.idle_ms)) {
    KioskRestart(out);
  }
  if (KioskBatchDue(k, rounds_, first_round_ms_, now)) KioskSend(out);
}

Status Widget::ApplyAction(const std::string& action, const Json& value, Outcome* out) {
  const bool in_question = session_.state() == SessionState::kQuestion;
  if (action == kActionClose) {
    if (in_question) {
      session_.Dismiss();
      out->persist = true;
      out->events.push_back(Event("dismiss"));
    }
    out->close = true;
    return Status::Ok();
  }
  if (!in_question) {
    return {StatusCode::kFailedPrecondition, "the survey has ended; only \"close\" applies"};
  }
  const Question& q = session_.current_question();
  if (action == kActionSelect) {
    int v = 0;
    if (!ParseInt(value, &v)) return {StatusCode::kInvalidArgument, "select needs a whole number"};
    Status s = session_.SelectValue(v);
    if (!s.ok()) return s;
    view_state_.needs_answer = false;
    out->persist = true;
    return s;
  }
  if (action == kActionToggle) {
    if (!value.is_string()) return {StatusCode::kInvalidArgument, "toggle needs an option id"};
    Status s = session_.ToggleChoice(value.get<std::string>());
    if (!s.ok()) return s;
    view_state_.needs_answer = false;
    out->persist = true;
    return s;
  }
  if (action == kActionText) {
    if (!value.is_string()) return {StatusCode::kInvalidArgument, "text needs a string"};
    return session_.SetText(value.get<std::string>());  // stored on Next, not per keystroke
  }
  if (action == kActionNext || action == kActionSkip) {
    const int index = session_.current();
    Status s = action == kActionNext ? session_.Next() : session_.Skip();
    if (!s.ok()) {
      if (action == kActionNext && s.code() == StatusCode::kFailedPrecondition) {
        // A required question without an answer: explain, keep focus on the choices.
        view_state_.needs_answer = true;
        out->focus = InitialFocusId(session_);
        return Status::Ok();
      }
      return s;
    }
    view_state_.needs_answer = false;
    out->persist = true;
    if (session_.submitted(index).answered && !q.show_if.has_value()) {
      // The page hears that a question was answered, never what: tag managers forward events.
      // Only questions without show_if (every respondent who gets that far sees them) announce
      // themselves: an event for a question shown only to, say, detractors would tell the page
      // the answer that opened it. So the sequence of events is the same whatever the answers.
      Json answer = Event("answer");
      answer["question"] = q.id;
      out->events.push_back(std::move(answer));
    }
    if (session_.state() == SessionState::kCompleted) out->events.push_back(Event("complete"));
    out->focus = InitialFocusId(session_);
    return Status::Ok();
  }
  if (action == kActionBack) {
    Status s = session_.Back();
    if (!s.ok()) return s;
    view_state_.needs_answer = false;
    out->focus = InitialFocusId(session_);
    return s;
  }
  return {StatusCode::kInvalidArgument, "unknown action \"" + action + "\""};
}

Status Widget::AfterTap(const std::string& action, const Json& value, Outcome* out) {
  if ((action != kActionSelect && action != kActionToggle) ||
      session_.state() != SessionState::kQuestion) {
    return Status::Ok();
  }
  const Question& q = session_.current_question();
  if (q.other && value == kOtherOptionId) {
    // Tapping "other" means typing next: its field (now shown) takes focus if chosen.
    if (ChoseOther(session_.answer(session_.current()))) out->focus = OtherTextId(q);
    return Status::Ok();
  }
  if (!q.auto_advance || q.multiple || session_.IsLastQuestion()) return Status::Ok();
  return ApplyAction(kActionNext, nullptr, out);
}

Status Widget::ApplyKey(const std::string& key, const std::string& action, const Json& value,
                        Outcome* out) {
  out->handled = false;
  if (key == "Escape") {
    out->handled = true;
    return ApplyAction(kActionClose, nullptr, out);
  }
  if (session_.state() != SessionState::kQuestion) return Status::Ok();
  const Question& q = session_.current_question();
  const bool radio = action == kActionSelect || (action == kActionToggle && !q.multiple);
  if (!radio) return Status::Ok();

  // Radio group pattern: arrows move and select; in right-to-left text, left is forward.
  const bool rtl = IsRtl(session_.locale());
  int step = 0;
  if (key == "ArrowDown" || key == (rtl ? "ArrowLeft" : "ArrowRight")) step = 1;
  if (key == "ArrowUp" || key == (rtl ? "ArrowRight" : "ArrowLeft")) step = -1;
  const bool home = key == "Home", end = key == "End";
  if (step == 0 && !home && !end) return Status::Ok();

  std::vector<std::string> values;
  if (q.type == QuestionType::kChoice) {
    for (const ChoiceOption& o : q.options) values.push_back(o.id);
  } else {
    for (int v = q.MinValue(); v <= q.MaxValue(); ++v) values.push_back(std::to_string(v));
  }
  std::string current = value.is_string() ? value.get<std::string>() : "";
  if (value.is_number_integer()) current = std::to_string(value.get<int64_t>());
  int at = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] == current) at = static_cast<int>(i);
  }
  const int n = static_cast<int>(values.size());
  const int target = home ? 0 : end ? n - 1 : ((at + step) % n + n) % n;  // wraps around
  out->handled = true;
  Status s = ApplyAction(action, Json(values[target]), out);
  if (s.ok()) out->focus = OptionId(q, values[target]);
  return s;
}

Result<Json> Widget::HandleEvent(const Json& event) {
  if (!event.is_object()) return Status(StatusCode::kInvalidArgument, "event: expected an object");
  const std::string* type = FindString(event, "type");
  if (type == nullptr) return Status(StatusCode::kInvalidArgument, "event/type: missing");
  Outcome out;
  Status status;
  static const Json kNull = nullptr;
  auto value_it = event.find("value");
  const Json& value = value_it == event.end() ? kNull : *value_it;
  const std::string* action = FindString(event, "action");
  if (*type == "shown") {
    // The first question has painted: its display is stored (Start() stores nothing).
    out.handled = false;
    out.persist = true;
  } else if (*type == "dismiss") {
    status = ApplyAction(kActionClose, value, &out);
  } else if (*type == "locale") {
    // nazar.setLocale(): the same step, re-rendered in the newly resolved locale.
    const std::string* locale = FindString(event, "locale");
    if (locale == nullptr) return Status(StatusCode::kInvalidArgument, "event/locale: missing");
    session_.SetLocale(*locale);
    config_.locale = *locale;  // a kiosk's next round starts in it too
  } else if (*type == "action" || *type == "input") {
    if (action == nullptr) return Status(StatusCode::kInvalidArgument, "event/action: missing");
    status = ApplyAction(*action, value, &out);
    const bool tapped = *type == "action" && FindBool(event, "pointer", false);
    if (status.ok() && tapped) status = AfterTap(*action, value, &out);
  } else if (*type == "key") {
    const std::string* key = FindString(event, "key");
    if (key == nullptr) return Status(StatusCode::kInvalidArgument, "event/key: missing");
    status = ApplyKey(*key, action ? *action : "", value, &out);
  } else if ((*type == "tick" || *type == "outbox") && !embed_.kiosk) {
    return Status(StatusCode::kFailedPrecondition,
                  "event/type: \"" + *type + "\" is for kiosk mode");
  } else if (*type == "tick") {
    out.handled = false;
    KioskTick(&out);
  } else if (*type == "outbox") {
    out.handled = false;
    auto payloads = event.find("payloads");
    if (payloads == event.end() || !payloads->is_array()) {
      return Status(StatusCode::kInvalidArgument, "event/payloads: expected an array");
    }
    unsent_elsewhere_ = KioskUnsent(*payloads, session_.survey().id, batch_, 0);
  } else {
    return Status(StatusCode::kInvalidArgument, "event/type: unknown type \"" + *type + "\"");
  }
  if (!status.ok()) return status;
  // Kiosk mode: a person is answering; the round is discarded after idle_ms without input.
  const bool input = *type == "action" || *type == "input" || (*type == "key" && out.handled);
  if (embed_.kiosk && input && session_.state() == SessionState::kQuestion) {
    last_input_ms_ = host_->NowMs();
  }
  return Update(std::move(out));
}

}  // namespace nazar

namespace nazar {

Result<std::unique_ptr<Widget>> CreateWidget(const Json& config, Host* host) {
  if (!config.is_object()) return Status(StatusCode::kInvalidArgument, "config: expected an object");
  auto def = config.find("definition");
  const std::string* wanted = FindString(config, "survey");
  Result<Survey> survey = PickSurvey(def == config.end() ? Json() : *def,
                                     wanted == nullptr ? "" : *wanted, "config/definition");
  if (!survey.ok()) return survey.status();
  WidgetConfig wc;
  if (const std::string* locale = FindString(config, "locale")) wc.locale = *locale;
  if (const std::string* site = FindString(config, "site")) wc.site = *site;
  if (auto offset = config.find("utc_offset_minutes"); offset != config.end()) {
    int64_t minutes = 0;
    if (!JsonIntInRange(*offset, -16 * 60, 16 * 60, &minutes)) {
      return Status(StatusCode::kInvalidArgument,
                    "config/utc_offset_minutes: expected whole minutes within +-16 hours");
    }
    wc.utc_offset_minutes = static_cast<int>(minutes);
  }
  EmbedOptions embed;
  Result<bool> kiosk_mode = ParseKioskMode(config, "config/mode");
  if (!kiosk_mode.ok()) return kiosk_mode.status();
  if (kiosk_mode.value()) {
    auto kiosk = config.find("kiosk");
    Result<KioskOptions> options = ParseKioskOptions(kiosk == config.end() ? Json() : *kiosk);
    if (!options.ok()) return options.status();
    embed.kiosk = options.value();
  }
  for (const char* name : {"inline", "mirror", "user_activated"}) {
    auto it = config.find(name);
    if (it != config.end() && !it->is_boolean()) {
      return Status::Cold(StatusCode::kInvalidArgument, [&] {
        return std::string("config/") + name + ": expected true or false";
      });
    }
  }
  embed.placement.inline_container = FindBool(config, "inline", false);
  embed.placement.mirror = FindBool(config, "mirror", true);
  embed.user_activated = FindBool(config, "user_activated", false);
  return std::make_unique<Widget>(std::move(survey).value(), std::move(wc), host, embed);
}

}  // namespace nazar
