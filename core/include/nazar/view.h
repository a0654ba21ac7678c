// The view model: for each step a tree of elements, attributes and text (ARIA roles and labels,
// dir, digits shaped for the locale). web/ applies it to a shadow root without deciding anything.
#ifndef NAZAR_VIEW_H_
#define NAZAR_VIEW_H_

#include <string>
#include <utility>
#include <vector>

#include "nazar/json.h"
#include "nazar/session.h"

namespace nazar {

// Elements web/ may create; anything else is a bug the applier refuses.
// div, p, h2, span, button, label, textarea, fieldset, legend, form.
struct Node {
  std::string tag;
  std::string key;  // stable identity across renders so the applier patches instead of replacing
  std::vector<std::pair<std::string, std::string>> attrs;
  std::string text;  // textContent; only on leaf nodes
  std::vector<Node> children;

  Node& Attr(std::string name, std::string value);
  Node& Add(Node child);
};

Node El(std::string tag, std::string key = "");

// Action names carried in data-nz-action, interpreted by the widget controller.
inline constexpr const char* kActionSelect = "select";  // data-nz-value: scale value
inline constexpr const char* kActionToggle = "toggle";  // data-nz-value: option id
inline constexpr const char* kActionText = "text";
inline constexpr const char* kActionNext = "next";
inline constexpr const char* kActionBack = "back";
inline constexpr const char* kActionSkip = "skip";
inline constexpr const char* kActionClose = "close";

// The element id of the option button for `value` (a scale value or an option id) of `q`.
std::string OptionId(const Question& q, const std::string& value);

// The element id of the control that should hold focus after rendering a fresh step.
std::string InitialFocusId(const Session& session);

// Transient presentation state the session itself does not hold.
struct ViewState {
  bool needs_answer = false;  // the respondent pressed Next on a required, unanswered question
};

// Renders the session's current step (question, thank-you) as a tree rooted at a dialog.
Node Render(const Session& session, const ViewState& state = {});

// {"t","k","a","x","c"} JSON of a node (absent members omitted).
Json ToJson(const Node& node);

}  // namespace nazar

#endif  // NAZAR_VIEW_H_
