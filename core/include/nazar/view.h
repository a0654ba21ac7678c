// The view model: for each step a tree of elements, attributes and text (ARIA roles and labels,
// dir, digits shaped for the locale). web/ applies it to a shadow root without deciding anything.
#ifndef NAZAR_VIEW_H_
#define NAZAR_VIEW_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nazar/json.h"
#include "nazar/session.h"

namespace nazar {

// Elements web/ may create; anything else is a bug the applier refuses.
// div, p, h2, span, button, label, textarea, fieldset, legend, form; and for drawn icons (faces,
// stars) svg, circle and path, which web/ creates in the SVG namespace.
struct Node {
  std::string tag;
  std::string key;  // stable identity across renders so the applier patches instead of replacing
  std::vector<std::pair<std::string, std::string>> attrs;
  std::string text;  // textContent; only on leaf nodes
  std::vector<Node> children;

  Node& Attr(std::string name, std::string value);
  // For a literal value: the strings are made in one place, not at each of the many call sites.
  Node& Attr(const char* name, const char* value);
  Node& Add(Node child);
};

Node El(const char* tag, std::string key);
Node El(const char* tag, const char* key = "");

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

// The element id of the free-text field of a choice question's "other" option.
std::string OtherTextId(const Question& q);

// The element id of the control that should hold focus after rendering a fresh step.
std::string InitialFocusId(const Session& session);

// WCAG 2 relative luminance (0 black .. 1 white) of a "#rgb" or "#rrggbb" colour; -1 for
// anything else (the definition validator admits only those forms).
double RelativeLuminance(std::string_view color);
// WCAG 2 contrast ratio of two relative luminances: (lighter + 0.05) / (darker + 0.05), 1..21.
double ContrastRatio(double luminance_a, double luminance_b);
// The text colour for labels drawn on `accent` (selected options, the submit button): whichever
// of kTextOnLight and kTextOnDark contrasts more with it. Rendered as data-nz-on-accent. Black
// and white, because the better of the two reaches 4.58:1 on every colour (where the two tie,
// at a luminance of 0.179, each gives 4.58:1), above WCAG AA's 4.5:1 for normal text; a softer
// dark such as #111111 left mid-tone accents (#d9480f, #797979) below it with either.
inline constexpr const char* kTextOnLight = "#000000";
inline constexpr const char* kTextOnDark = "#ffffff";
const char* TextColorOn(std::string_view accent);

// What the embedding says about where the survey goes (Contract 2).
struct PlacementOptions {
  bool inline_container =
      false;           // the page gave a container (data-container, show(id, {container}))
  bool mirror = true;  // corners mirror in right-to-left locales (data-mirror="false": not)
};
// Placements rendered as data-nz-position on the root, besides the definition's positions.
inline constexpr const char* kPlacementInline = "inline";  // in the page's flow, in its container
inline constexpr const char* kPlacementCenter = "center";  // a modal dialog over an inert page
// Where the survey shows: "inline" in a container the page chose; otherwise the definition's
// `position` (bottom-right | bottom-left | bottom | center), its corner mirrored (bottom-right
// <-> bottom-left) in a right-to-left `locale` unless the site turned mirroring off.
std::string ResolvePlacement(std::string_view position, std::string_view locale,
                             const PlacementOptions& options);

// Transient presentation state the session itself does not hold.
struct ViewState {
  bool needs_answer = false;   // the respondent pressed Next on a required, unanswered question
  PlacementOptions placement;  // from the embedding, fixed for the widget's life
  int kiosk_unsent = -1;       // kiosk mode: answers not yet delivered, for the staff (-1: none)
};

// Renders the session's current step (question, thank-you) as a tree rooted at a dialog.
Node Render(const Session& session, const ViewState& state = {});

// {"t","k","a","x","c"} JSON of a node (absent members omitted).
Json ToJson(const Node& node);

}  // namespace nazar

#endif  // NAZAR_VIEW_H_
