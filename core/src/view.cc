#include "nazar/view.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "nazar/hex.h"
#include "nazar/i18n.h"

namespace nazar {
namespace {

// Drawn faces on a 24-unit grid (a head circle, then this path of brows, eyes and mouth), from
// very unhappy to very happy. SVG, not emoji: no device font can turn them into empty boxes.
constexpr int kVeryHappy = 4;
const char* const kFacePaths[] = {
    "M7 8l3 1m7-1-3 1M9 11v.5m6-.5v.5M8 17.5q4-4.5 8 0",  // brows down, deep frown
    "M9 9.5v1m6-1v1M8.5 16.5q3.5-2.5 7 0",                // slight frown
    "M9 9.5v1m6-1v1M8.5 15.5h7",                          // straight mouth
    "M9 9.5v1m6-1v1M8.5 14.5q3.5 2.5 7 0",                // slight smile
    "M9 9.5v1m6-1v1M7.5 13.5h9q-4.5 6-9 0z",              // open smile (filled)
};
// Which drawing each point of a 2..5-point scale gets, lowest to highest.
const int kFaces2[] = {0, 4};
const int kFaces3[] = {0, 2, 4};
const int kFaces4[] = {0, 1, 3, 4};
const int kFaces5[] = {0, 1, 2, 3, 4};
const char* const kStarPath =
    "M12 2.5l2.9 6 6.6.9-4.8 4.6 1.2 6.5L12 17.4l-5.9 3.1 1.2-6.5-4.8-4.6 6.6-.9z";

// The face drawing (index into kFacePaths) for point `index` of a `scale`-point scale; -1 when
// the scale has no faces (6 points and more show numbers).
int Face(int scale, int index) {
  static const int* const kByScale[] = {kFaces2, kFaces3, kFaces4, kFaces5};
  return scale >= 2 && scale <= 5 ? kByScale[scale - 2][index] : -1;
}

// An icon inside an option button: decorative, since the button carries the accessible name.
Node Icon() {
  Node svg = El("svg", "icon");
  svg.Attr("class", "nz-icon")
      .Attr("viewBox", "0 0 24 24")
      .Attr("aria-hidden", "true")
      .Attr("focusable", "false");
  return svg;
}

Node FaceIcon(int face) {
  Node svg = Icon();
  Node head = El("circle");
  head.Attr("cx", "12").Attr("cy", "12").Attr("r", "10");
  Node features = El("path");
  features.Attr("d", kFacePaths[face]);
  if (face == kVeryHappy) features.Attr("fill", "currentColor");
  svg.Add(std::move(head)).Add(std::move(features));
  return svg;
}

Node StarIcon() {
  Node svg = Icon();
  Node star = El("path");
  star.Attr("d", kStarPath);
  svg.Add(std::move(star));
  return svg;
}

// A survey text in the session's language, its bidi controls closed (CloseBidi): the text is
// the site's, but what follows it on screen or in an accessible name is not.
std::string Text(const LocalizedText& text, const Session& s) {
  const std::string* found = text.Find(s.locale_chain());
  return found ? CloseBidi(*found) : std::string();
}

const char* Ui(UiString id, const Session& s) {
  return UiText(id, s.locale_chain(), s.survey().strings);
}

Node Button(std::string key, const char* cls, const char* action, std::string text) {
  Node b = El("button", std::move(key));
  b.Attr("type", "button").Attr("class", cls).Attr("data-nz-action", action);
  b.text = std::move(text);
  return b;
}

// The texts of a scale's two ends in the session's language: the definition's labels, else the
// built-in anchors of NPS ("Not at all likely" .. "Extremely likely"), CSAT ("Very dissatisfied"
// .. "Very satisfied") and CES (the agreement ends), since a respondent, and a screen reader
// user who hears only "3 of 5" for a face, must learn which end is the good one. A site that
// labels either end keeps its own wording alone; a rating has no built-in ends. Empty: no label.
struct ScaleEnds {
  std::string min, max;
};
ScaleEnds EndsOf(const Question& q, const Session& s) {
  if (q.label_min.empty() && q.label_max.empty()) {
    switch (q.type) {
      case QuestionType::kNps:
        return {Ui(UiString::kNpsMin, s), Ui(UiString::kNpsMax, s)};
      case QuestionType::kCsat:
        return {Ui(UiString::kCsatMin, s), Ui(UiString::kCsatMax, s)};
      case QuestionType::kCes:
        return {Ui(UiString::kAgreeMin, s), Ui(UiString::kAgreeMax, s)};
      default:
        break;
    }
  }
  return {Text(q.label_min, s), Text(q.label_max, s)};
}

// A radio group (or checkbox group for multiple choice) of option buttons with a roving tab
// stop: the checked option, else the first, is the one Tab reaches. The end points of a scale
// are named with their labels too ("10, Extremely likely"), as screen readers skip the row of
// labels drawn under the scale.
Node OptionGroup(const Question& q, const Session& s, const std::string& labelled_by,
                 const ScaleEnds& ends) {
  const Answer& a = s.answer(s.current());
  const bool multiple = q.type == QuestionType::kChoice && q.multiple;
  Node group = El("div", "group");
  group.Attr("class", "nz-options nz-" + std::string(QuestionTypeName(q.type)))
      .Attr("role", multiple ? "group" : "radiogroup")
      .Attr("aria-labelledby", labelled_by);
  // ARIA allows aria-required on a radiogroup, not on a group (of checkboxes).
  if (q.required && !multiple) group.Attr("aria-required", "true");
  if (q.IsScale()) group.Attr("data-nz-points", std::to_string(q.MaxValue() - q.MinValue() + 1));
  const std::string& style = q.style;
  if (!style.empty()) group.Attr("data-nz-style", style);  // the CSS fills stars on hover

  bool any_tab_stop = a.answered;
  auto add = [&](const std::string& value, bool checked, std::string label, std::string aria) {
    Node b = Button("o-" + value, "nz-option",
                    q.type == QuestionType::kChoice ? "toggle" : "select", std::move(label));
    b.Attr("id", OptionId(q, value)).Attr("data-nz-value", value);
    b.Attr("role", multiple ? "checkbox" : "radio")
        .Attr("aria-checked", checked ? "true" : "false");
    if (!aria.empty()) b.Attr("aria-label", std::move(aria));
    const bool tab_stop = multiple || checked || !any_tab_stop;
    if (!multiple && !checked && !any_tab_stop) any_tab_stop = true;
    b.Attr("tabindex", tab_stop ? "0" : "-1");
    group.Add(std::move(b));
  };

  if (q.type == QuestionType::kChoice) {
    for (const ChoiceOption& o : q.options) {
      const bool checked = std::find(a.choices.begin(), a.choices.end(), o.id) != a.choices.end();
      add(o.id, checked, Text(o.text, s), "");
    }
    return group;
  }
  const int points = q.MaxValue() - q.MinValue() + 1;
  const bool stars = style == "stars";
  for (int v = q.MinValue(); v <= q.MaxValue(); ++v) {
    const std::string shown = FormatInt(v, s.locale());
    const int face = style == "emoji" ? Face(q.scale, v - q.MinValue()) : -1;
    std::string name;  // empty: the number shown names the option
    if (face >= 0) {
      name = FormatPattern(Ui(UiString::kOutOf, s), shown, FormatInt(points, s.locale()));
    } else if (stars) {
      name = FormatPattern(Ui(UiString::kStars, s), shown, FormatInt(points, s.locale()));
    }
    const std::string& end = v == q.MinValue() ? ends.min : v == q.MaxValue() ? ends.max : "";
    if (!end.empty()) {
      name = FormatPattern(Ui(UiString::kScaleEnd, s), name.empty() ? shown : name, end);
    }
    const bool drawn = face >= 0 || stars;
    add(std::to_string(v), a.answered && a.value == v, drawn ? "" : shown, std::move(name));
    Node& b = group.children.back();
    if (face >= 0) b.Add(FaceIcon(face));
    if (stars) {
      b.Add(StarIcon());
      // Stars up to the selected one are drawn filled (the CSS previews a hovered value).
      if (a.answered && v <= a.value) b.Attr("data-nz-filled", "true");
    }
  }
  return group;
}

// The end labels drawn under a scale, min at its start and max at its end (mirrored by the dir of
// the dialog). Hidden from screen readers: the end options' names already carry them.
Node ScaleLabels(const ScaleEnds& ends) {
  Node labels = El("div", "labels");
  labels.Attr("class", "nz-labels").Attr("aria-hidden", "true");
  Node lo = El("span", "min");
  lo.Attr("class", "nz-label-min");
  lo.text = ends.min;
  Node hi = El("span", "max");
  hi.Attr("class", "nz-label-max");
  hi.text = ends.max;
  labels.Add(std::move(lo)).Add(std::move(hi));
  return labels;
}

// A text field for the current answer's text: a text question's, or a choice's "other".
Node TextArea(const Question& q, const Answer& a, std::string key, std::string id,
              std::string labelled_by, const char* rows) {
  Node area = El("textarea", std::move(key));
  area.Attr("id", std::move(id))
      .Attr("class", "nz-textarea")
      .Attr("aria-labelledby", std::move(labelled_by))
      .Attr("data-nz-action", kActionText)
      .Attr("maxlength", std::to_string(q.max_length))
      .Attr("rows", rows)
      .Attr("dir", "auto")
      .Attr("value", a.text);
  return area;
}

Node TextInput(const Question& q, const Session& s) {
  const Answer& a = s.answer(s.current());
  Node wrap = El("div", "text");
  wrap.Attr("class", "nz-text");
  Node area = TextArea(q, a, "input", "nz-" + q.id + "-text", "nz-title", "3");
  area.Attr("aria-describedby", "nz-counter");
  const size_t used = Utf8Length(a.text);
  const size_t left = used >= static_cast<size_t>(q.max_length) ? 0 : q.max_length - used;
  Node counter = El("p", "counter");
  counter.Attr("class", "nz-counter").Attr("id", "nz-counter");
  counter.text = FormatPattern(Ui(UiString::kCharactersLeft, s),
                               FormatInt(static_cast<long long>(left), s.locale()));
  wrap.Add(std::move(area)).Add(std::move(counter));
  return wrap;
}

// The free text of a choice question's "other", shown while "other" is chosen and named by it.
Node OtherInput(const Question& q, const Answer& a) {
  return TextArea(q, a, "other", OtherTextId(q), OptionId(q, kOtherOptionId), "2");
}

Node Root(const Session& s, const ViewState& state) {
  const Survey& survey = s.survey();
  const std::string placement =
      ResolvePlacement(survey.appearance.position, s.locale(), state.placement);
  Node root = El("div", "root");
  root.Attr("class", "nz-root")
      .Attr("role", "dialog")
      .Attr("aria-modal", placement == kPlacementCenter ? "true" : "false")
      .Attr("lang", s.locale())
      .Attr("dir", IsRtl(s.locale()) ? "rtl" : "ltr")
      .Attr("data-nz-position", placement)
      .Attr("data-nz-theme", survey.appearance.theme)
      .Attr("data-nz-accent", survey.appearance.accent)
      .Attr("data-nz-radius", std::to_string(survey.appearance.radius))
      .Attr("data-nz-on-accent", TextColorOn(survey.appearance.accent));
  return root;
}

Node CloseButton(const Session& s) {
  Node close = Button("close", "nz-close", "close", "\xC3\x97");  // U+00D7 MULTIPLICATION SIGN
  close.Attr("id", "nz-close").Attr("aria-label", Ui(UiString::kClose, s));
  return close;
}

Node QuestionStep(const Session& s, const ViewState& state) {
  const Question& q = s.current_question();
  const Answer& a = s.answer(s.current());
  Node step = El("div", "q-" + q.id);
  step.Attr("class", "nz-step").Attr("data-nz-question", q.id);

  Node progress = El("p", "progress");
  progress.Attr("class", "nz-progress").Attr("id", "nz-progress");
  progress.text = FormatPattern(Ui(UiString::kQuestionOf, s), FormatInt(s.Position(), s.locale()),
                                FormatInt(s.VisibleCount(), s.locale()));
  step.Add(std::move(progress));

  Node title = El("h2", "title");
  title.Attr("class", "nz-title").Attr("id", "nz-title");
  title.text = Text(q.text, s);
  step.Add(std::move(title));
  if (!q.required) {
    Node optional = El("p", "optional");
    optional.Attr("class", "nz-optional");
    optional.text = Ui(UiString::kOptional, s);
    step.Add(std::move(optional));
  }

  if (q.type == QuestionType::kText) {
    step.Add(TextInput(q, s));
  } else {
    const ScaleEnds ends = q.IsScale() ? EndsOf(q, s) : ScaleEnds{};
    step.Add(OptionGroup(q, s, "nz-title", ends));
    if (!ends.min.empty() || !ends.max.empty()) step.Add(ScaleLabels(ends));
    if (q.other && ChoseOther(a)) step.Add(OtherInput(q, a));
  }

  if (state.needs_answer && q.required && !a.answered) {
    Node hint = El("p", "hint");
    hint.Attr("class", "nz-hint").Attr("id", "nz-hint").Attr("role", "alert");
    hint.text = Ui(UiString::kRequiredHint, s);
    step.Add(std::move(hint));
  }

  Node actions = El("div", "actions");
  actions.Attr("class", "nz-actions");
  if (s.CanGoBack()) actions.Add(Button("back", "nz-back", "back", Ui(UiString::kBack, s)));
  if (!q.required) actions.Add(Button("skip", "nz-skip", "skip", Ui(UiString::kSkip, s)));
  Node next = Button("next", "nz-next", "next",
                     Ui(s.IsLastQuestion() ? UiString::kSubmit : UiString::kNext, s));
  // aria-disabled, not disabled: the button stays focusable and explains itself when pressed.
  if (q.required && !a.answered) next.Attr("aria-disabled", "true");
  actions.Add(std::move(next));
  step.Add(std::move(actions));
  return step;
}

// The live region is always in the dialog (empty while questions show) so that screen readers
// announce the thank-you when its text arrives; a region inserted already filled is often missed.
Node StatusRegion(const Session& s) {
  Node status = El("p", "status");
  status.Attr("class", "nz-status")
      .Attr("id", "nz-status")
      .Attr("role", "status")
      .Attr("aria-live", "polite");
  if (s.state() == SessionState::kCompleted) {
    const std::string custom = Text(s.survey().thank_you, s);
    status.text = custom.empty() ? std::string(Ui(UiString::kThankYou, s)) : custom;
  }
  return status;
}

void AppendJson(const Node& node, Json* out) {
  Json& j = *out;
  j["t"] = node.tag;
  if (!node.key.empty()) j["k"] = node.key;
  if (!node.attrs.empty()) {
    Json attrs = Json::object();
    for (const auto& [name, value] : node.attrs) attrs[name] = value;
    j["a"] = std::move(attrs);
  }
  if (!node.text.empty()) j["x"] = node.text;
  if (!node.children.empty()) {
    Json children = Json::array();
    for (const Node& child : node.children) {
      Json c = Json::object();
      AppendJson(child, &c);
      children.push_back(std::move(c));
    }
    j["c"] = std::move(children);
  }
}

// x^2.4 for x in [0.09, 1] (sRGB's gamma): x^2 times the fifth root of x^2, by Newton's method
// from 1, which approaches the root from above and reaches double precision within 24 steps.
// std::pow would bring libm's pow and its 4 KB table into the widget's wasm module.
double Pow24(double x) {
  const double a = x * x;
  double y = 1;
  for (int step = 0; step < 24; ++step) {
    const double y2 = y * y;
    y = (4 * y + a / (y2 * y2)) / 5;
  }
  return a * y;
}

}  // namespace

double RelativeLuminance(std::string_view color) {
  if ((color.size() != 4 && color.size() != 7) || color[0] != '#') return -1;
  const bool short_form = color.size() == 4;
  double channel[3];
  for (int i = 0; i < 3; ++i) {
    const int hi = HexDigit(color[short_form ? 1 + i : 1 + 2 * i]);
    const int lo = HexDigit(color[short_form ? 1 + i : 2 + 2 * i]);
    if (hi < 0 || lo < 0) return -1;
    // sRGB to linear light (WCAG 2.x; 0.04045 is the sRGB standard's threshold).
    const double c = (hi * 16 + lo) / 255.0;
    channel[i] = c <= 0.04045 ? c / 12.92 : Pow24((c + 0.055) / 1.055);
  }
  return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2];
}

double ContrastRatio(double luminance_a, double luminance_b) {
  const double hi = std::max(luminance_a, luminance_b), lo = std::min(luminance_a, luminance_b);
  return (hi + 0.05) / (lo + 0.05);
}

const char* TextColorOn(std::string_view accent) {
  const double l = RelativeLuminance(accent);
  if (l < 0) return kTextOnDark;
  return ContrastRatio(l, RelativeLuminance(kTextOnLight)) >
                 ContrastRatio(l, RelativeLuminance(kTextOnDark))
             ? kTextOnLight
             : kTextOnDark;
}

std::string OptionId(const Question& q, const std::string& value) {
  return "nz-" + q.id + "-" + value;
}

Node El(const char* tag, std::string key) {
  Node n;
  n.tag = tag;
  n.key = std::move(key);
  return n;
}

Node El(const char* tag, const char* key) {
  return El(tag, std::string(key != nullptr ? key : ""));
}

Node& Node::Attr(std::string name, std::string value) {
  attrs.emplace_back(std::move(name), std::move(value));
  return *this;
}

Node& Node::Attr(const char* name, const char* value) {
  attrs.emplace_back(name, value != nullptr ? value : "");  // Attr("x", {}) is an empty value
  return *this;
}

Node& Node::Add(Node child) {
  children.push_back(std::move(child));
  return *this;
}

std::string OtherTextId(const Question& q) { return "nz-" + q.id + "-other-text"; }

std::string InitialFocusId(const Session& s) {
  if (s.state() != SessionState::kQuestion) return "nz-close";
  const Question& q = s.current_question();
  if (q.type == QuestionType::kText) return "nz-" + q.id + "-text";
  const Answer& a = s.answer(s.current());
  if (q.type == QuestionType::kChoice) {
    return OptionId(q, a.answered ? a.choices.front() : q.options.front().id);
  }
  return OptionId(q, std::to_string(a.answered ? a.value : q.MinValue()));
}

std::string ResolvePlacement(std::string_view position, std::string_view locale,
                             const PlacementOptions& options) {
  if (options.inline_container) return kPlacementInline;
  if (options.mirror && IsRtl(locale)) {
    if (position == "bottom-right") return "bottom-left";
    if (position == "bottom-left") return "bottom-right";
  }
  return std::string(position);
}

Node Render(const Session& s, const ViewState& state) {
  Node root = Root(s, state);
  if (s.state() == SessionState::kQuestion) {
    root.Attr("aria-labelledby", "nz-title").Attr("aria-describedby", "nz-progress");
  } else {
    root.Attr("aria-label", Ui(UiString::kSurveyLabel, s));
  }
  root.Add(CloseButton(s));
  if (s.state() == SessionState::kQuestion) root.Add(QuestionStep(s, state));
  root.Add(StatusRegion(s));
  if (state.kiosk_unsent >= 0) {
    // Kiosk mode: for the staff, how many answers wait for the network, in the locale's digits.
    Node unsent = El("p", "unsent");
    unsent.Attr("class", "nz-unsent").Attr("id", "nz-unsent");
    unsent.text =
        FormatPattern(Ui(UiString::kUnsent, s), FormatInt(state.kiosk_unsent, s.locale()));
    root.Attr("data-nz-kiosk", "");
    root.Add(std::move(unsent));
  }
  return root;
}

Json ToJson(const Node& node) {
  Json j = Json::object();
  AppendJson(node, &j);
  return j;
}

}  // namespace nazar
